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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Java's medium date-time style, in UTC; newer JDKs put a narrow no-break space before AM/PM.
const AWS_TIMESTAMP = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})[ \u202f](AM|PM)$/;

/**
 * The AMQP `timestamp` property as the event renders it: "Jan 1, 1970, 12:33:41 AM" (UTC) in AWS's documented
 * sample event; ISO-8601 is read too. Epoch ms, or undefined when absent or unreadable (a bad producer clock
 * property must not make a message poison).
 */
export const rmqTimestampMillis = (text: string | null | undefined): number | undefined => {
  if (!text) return undefined;
  const match = AWS_TIMESTAMP.exec(text);
  if (!match) {
    const iso = Date.parse(text);
    return /^\d{4}-\d{2}-\d{2}T/.test(text) && Number.isFinite(iso) ? iso : undefined;
  }
  const [, month, day, year, hour, minute, second, half] = match;
  const monthIndex = MONTHS.indexOf(month ?? '');
  const hour12 = Number(hour);
  if (monthIndex < 0 || hour12 < 1 || hour12 > 12) return undefined;
  const hour24 = (hour12 % 12) + (half === 'PM' ? 12 : 0);
  const millis = Date.UTC(Number(year), monthIndex, Number(day), hour24, Number(minute), Number(second));
  return new Date(millis).getUTCDate() === Number(day) ? millis : undefined;
};

/** The inverse, for the local poller: an AMQP timestamp (epoch seconds) as Lambda's event shows it. */
export const formatRmqTimestamp = (epochSeconds: number): string => {
  const date = new Date(epochSeconds * 1000);
  const hours = date.getUTCHours();
  const time = [hours % 12 || 12, date.getUTCMinutes(), date.getUTCSeconds()]
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0')))
    .join(':');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${time} ${hours < 12 ? 'AM' : 'PM'}`;
};
