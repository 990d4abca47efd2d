import type { ConsumeMessage } from 'amqplib';
import {
  formatRmqTimestamp,
  type RmqBasicProperties,
  type RmqEvent,
  type RmqMessage,
} from '../../lib/rabbitmq/rmq-event.js';

const toBasicProperties = ({ properties, content }: ConsumeMessage): RmqBasicProperties => ({
  contentType: properties.contentType ?? null,
  contentEncoding: properties.contentEncoding ?? null,
  headers: properties.headers ?? null,
  deliveryMode: properties.deliveryMode ?? null,
  priority: properties.priority ?? null,
  correlationId: properties.correlationId ?? null,
  replyTo: properties.replyTo ?? null,
  expiration: properties.expiration ?? null,
  messageId: properties.messageId ?? null,
  timestamp: typeof properties.timestamp === 'number' ? formatRmqTimestamp(properties.timestamp) : null,
  type: properties.type ?? null,
  userId: properties.userId ?? null,
  appId: properties.appId ?? null,
  clusterId: properties.clusterId ?? null,
  bodySize: content.length,
});

/** The event Lambda's Amazon MQ (RabbitMQ) source would deliver for these messages. */
export const toRmqEvent = (
  messages: ConsumeMessage[],
  source: { arn: string; queue: string; virtualHost: string },
): RmqEvent => ({
  eventSource: 'aws:rmq',
  eventSourceArn: source.arn,
  rmqMessagesByQueue: {
    [`${source.queue}::${source.virtualHost}`]: messages.map(
      (message): RmqMessage => ({
        basicProperties: toBasicProperties(message),
        redelivered: message.fields.redelivered,
        data: message.content.toString('base64'),
      }),
    ),
  },
});
