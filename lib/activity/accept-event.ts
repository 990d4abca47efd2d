import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { ActivityMessage, TrackRequest } from './activity-schema.js';
import { toMillis } from './iso-date-time.js';
import { correctedTime } from './skew.js';
import { checkTimestampWindow } from './timestamp-window.js';

/** An event's client time and send time, normalised to UTC. */
export interface EventTimes {
  timestamp: string;
  sent_at?: string;
}

/**
 * Checks a client time (skew-corrected when the client's send time is given) against the accepted window and
 * normalises both to UTC. Throws a ValidationError naming `timestamp` when it is outside the window.
 */
export const toEventTimes = (timestamp: string, sentAt: string | undefined, now: Date): EventTimes => {
  // Each time is parsed once: this runs for every event of every request.
  const occurredAt = toMillis(timestamp);
  const sentMillis = sentAt === undefined ? undefined : toMillis(sentAt);
  const corrected = correctedTime(occurredAt, sentMillis, now.getTime());
  try {
    checkTimestampWindow(corrected ?? occurredAt, now);
  } catch (error) {
    if (corrected === undefined || !(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.message,
      error.details.map((d) => ({ ...d, message: `${d.message} (after correcting the client clock by sent_at)` })),
    );
  }
  return {
    timestamp: new Date(occurredAt).toISOString(),
    ...(sentMillis === undefined ? {} : { sent_at: new Date(sentMillis).toISOString() }),
  };
};

/**
 * Turns a schema-valid event into the queued message: ids lower-cased (or assigned), times normalised to UTC.
 * Throws a ValidationError when the event time (skew-corrected when `sent_at` is given) is outside the window.
 */
export const toActivityMessage = (request: TrackRequest, now: Date): ActivityMessage => ({
  event_id: (request.event_id ?? randomUUID()).toLowerCase(),
  user_id: request.user_id,
  event_type: request.event_type,
  ...toEventTimes(request.timestamp, request.sent_at, now),
  ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
  received_at: now.toISOString(),
});
