import { createHash } from 'node:crypto';
import type { ActivityMessage, ProducerMessage } from './activity-schema.js';
import { toMillis } from './iso-date-time.js';
import { nameBasedUuid } from './name-based-uuid.js';
import { checkTimestampWindow } from './timestamp-window.js';

/** What the broker says of a message besides its body. */
export interface MessageOrigin {
  /** The AMQP `message-id` property, when the producer set one. */
  messageId: string | null;
  /** The AMQP `timestamp` property, in epoch ms, when the producer set one. */
  publishedAt: number | undefined;
  body: Buffer;
}

/**
 * Turns a message another producer published in the documented schema into the message track would have queued.
 * Its event_id is derived from the AMQP message-id, or else from the body, so a redelivered or re-published copy
 * gets the same id and is stored once; it was received when the producer published it (AMQP timestamp), or else
 * when persist read it. Throws a ValidationError when the event time is outside the accepted window.
 */
export const fromProducerMessage = (message: ProducerMessage, origin: MessageOrigin, readAt: Date): ActivityMessage => {
  const receivedAt = new Date(origin.publishedAt ?? readAt.getTime());
  const occurredAt = toMillis(message.timestamp);
  checkTimestampWindow(occurredAt, receivedAt);
  const name = origin.messageId
    ? `message-id:${origin.messageId}`
    : `body:${createHash('sha256').update(origin.body).digest('hex')}`;
  return {
    event_id: nameBasedUuid(name),
    user_id: message.user_id,
    event_type: message.event_type,
    timestamp: new Date(occurredAt).toISOString(),
    ...(message.metadata ? { metadata: message.metadata } : {}),
    received_at: receivedAt.toISOString(),
  };
};
