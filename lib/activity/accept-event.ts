import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { ActivityMessage, TrackRequest } from './activity-schema.js';
import { toMillis } from './iso-date-time.js';
import { correctedTime } from './skew.js';
import { checkTimestampWindow } from './timestamp-window.js';

/**
 * Turns a schema-valid event into the queued message: ids lower-cased (or assigned), times normalised to UTC.
 * Throws a ValidationError when the event time (skew-corrected when `sent_at` is given) is outside the window.
 */
export const toActivityMessage = (request: TrackRequest, now: Date): ActivityMessage => {
  // Each time is parsed once: this runs for every event of every request.
  const occurredAt = toMillis(request.timestamp);
  const sentAt = request.sent_at === undefined ? undefined : toMillis(request.sent_at);
  const corrected = correctedTime(occurredAt, sentAt, now.getTime());
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
    event_id: (request.event_id ?? randomUUID()).toLowerCase(),
    user_id: request.user_id,
    event_type: request.event_type,
    timestamp: new Date(occurredAt).toISOString(),
    ...(sentAt === undefined ? {} : { sent_at: new Date(sentAt).toISOString() }),
    ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    received_at: now.toISOString(),
  };
};
