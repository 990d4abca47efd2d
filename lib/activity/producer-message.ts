import { createHash } from 'node:crypto';
import { type Mapped, mapOrRefuse } from '../intake/mapped.js';
import type { ProducerMessage } from './activity-schema.js';
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

/** The producer's own event_id, else one derived from the AMQP message-id or the body, so a re-published copy is the same event. */
const eventIdOf = (message: ProducerMessage, origin: MessageOrigin): string => {
  if (message.event_id !== undefined) return message.event_id.toLowerCase();
  const name = origin.messageId
    ? `message-id:${origin.messageId}`
    : `body:${createHash('sha256').update(origin.body).digest('hex')}`;
  return nameBasedUuid(name);
};

/**
 * The mapper of messages other producers publish in the documented schema: the message track would have queued. It
 * was received when the producer published it (AMQP timestamp), or else when persist read it; an event time outside
 * the accepted window is its error.
 */
export const mapProducerMessage = (message: ProducerMessage, origin: MessageOrigin, readAt: Date): Mapped =>
  mapOrRefuse(() => {
    const receivedAt = new Date(origin.publishedAt ?? readAt.getTime());
    const occurredAt = toMillis(message.timestamp);
    checkTimestampWindow(occurredAt, receivedAt);
    return {
      event_id: eventIdOf(message, origin),
      user_id: message.user_id,
      event_type: message.event_type,
      timestamp: new Date(occurredAt).toISOString(),
      ...(message.metadata ? { metadata: message.metadata } : {}),
      received_at: receivedAt.toISOString(),
    };
  });
