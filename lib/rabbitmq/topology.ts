import type { Channel } from 'amqplib';
import type { Config } from '../runtime/config.js';

/**
 * The queue topology, declared identically by track, the poller and the health check. A quorum queue counts
 * deliveries, and after `x-delivery-limit` it dead-letters the message to the DLQ instead of redelivering it
 * forever (RabbitMQ 3.10 has no default limit). Declaring the same arguments twice is a no-op.
 * https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling
 */
export const assertTopology = async (channel: Channel, config: Config): Promise<void> => {
  await channel.assertQueue(config.deadLetterQueueName, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.assertQueue(config.queueName, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': config.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': config.deadLetterQueueName,
    },
  });
};
