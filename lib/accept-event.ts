import { randomUUID } from 'node:crypto';
import type { ActivityMessage, TrackRequest } from './activity-schema.js';
import { ValidationError } from './errors.js';
import { parseIsoDateTime, toUtcIso } from './iso-date-time.js';
import { correctedTime } from './skew.js';
import { checkTimestampWindow } from './timestamp-window.js';

/**
 * Turns a schema-valid event into the queued message: ids lower-cased (or assigned), times normalised to UTC.
 * Throws a ValidationError when the event time (skew-corrected when `sent_at` is given) is outside the window.
 */
export const toActivityMessage = (request: TrackRequest, now: Date): ActivityMessage => {
  const corrected = correctedTime(request, now.getTime());
  try {
    checkTimestampWindow(corrected ?? parseIsoDateTime(request.timestamp), now);
  } catch (error) {
    if (corrected === undefined || !(error instanceof ValidationError)) throw error;
    throw new ValidationError(error.message, error.details.map((d) => ({ ...d, message: `${d.message} (after correcting the client clock by sent_at)` })));
  }
  return {
    event_id: (request.event_id ?? randomUUID()).toLowerCase(),
    user_id: request.user_id,
    event_type: request.event_type,
    timestamp: toUtcIso(request.timestamp),
    ...(request.sent_at === undefined ? {} : { sent_at: toUtcIso(request.sent_at) }),
    ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    received_at: now.toISOString(),
  };
};
