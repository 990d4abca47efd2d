import { randomUUID } from 'node:crypto';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';

/** The README's example event: what every HTTP measurement sends. */
export const trackPayload = {
  user_id: 123,
  event_type: 'login',
  timestamp: '2026-02-19T10:00:00',
  metadata: { browser: 'Chrome', ip: '192.168.1.1' },
};

export const trackBody = JSON.stringify(trackPayload);

export const batchBody = (size: number): string =>
  JSON.stringify({ events: Array.from({ length: size }, () => trackPayload) });

/** The queued message `track` makes of `trackPayload`: what B1 publishes and P3 preloads. */
export const activityMessage = (): ActivityMessage => ({
  event_id: randomUUID(),
  user_id: trackPayload.user_id,
  event_type: trackPayload.event_type,
  timestamp: '2026-02-19T10:00:00.000Z',
  metadata: trackPayload.metadata,
  received_at: new Date().toISOString(),
});
