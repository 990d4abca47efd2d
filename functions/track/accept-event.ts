import { randomUUID } from 'node:crypto';
import type { ActivityMessage, TrackRequest } from '../../lib/activity-schema.js';
import { toUtcIso } from '../../lib/iso-date-time.js';
import type { EventPublisher } from '../../lib/ports.js';
import { checkTimestampWindow } from '../../lib/timestamp-window.js';

/** Turns a valid request into the queued message (ids and times normalised) and publishes it; returns its id. */
export const acceptEvent = async (request: TrackRequest, publisher: EventPublisher, now = new Date()): Promise<string> => {
  checkTimestampWindow(request.timestamp, now);
  const message: ActivityMessage = {
    event_id: (request.event_id ?? randomUUID()).toLowerCase(),
    user_id: request.user_id,
    event_type: request.event_type,
    timestamp: toUtcIso(request.timestamp),
    ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    received_at: now.toISOString(),
  };
  await publisher.publish(message);
  return message.event_id;
};
