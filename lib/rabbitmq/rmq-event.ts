/**
 * The event AWS Lambda receives from an Amazon MQ for RabbitMQ event source mapping (`@types/aws-lambda` has none).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html
 */
export interface RmqBasicProperties {
  contentType?: string | null;
  contentEncoding?: string | null;
  headers?: Record<string, unknown> | null;
  deliveryMode?: number | null;
  priority?: number | null;
  correlationId?: string | null;
  replyTo?: string | null;
  expiration?: string | null;
  messageId?: string | null;
  timestamp?: string | null;
  type?: string | null;
  userId?: string | null;
  appId?: string | null;
  clusterId?: string | null;
  bodySize?: number;
}

export interface RmqMessage {
  basicProperties: RmqBasicProperties;
  redelivered: boolean;
  /** The message body, base64-encoded. */
  data: string;
}

export interface RmqEvent {
  eventSource: 'aws:rmq';
  eventSourceArn: string;
  /** Keyed by `<queue>::<virtual host>`. */
  rmqMessagesByQueue: Record<string, RmqMessage[]>;
}
