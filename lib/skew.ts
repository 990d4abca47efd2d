import { parseIsoDateTime } from './iso-date-time.js';

/**
 * Device clocks drift. When the client says when it sent the request (`sent_at`, by the same clock as `timestamp`),
 * the event time on the server's clock is `received_at − (sent_at − timestamp)`: Segment's and Snowplow's correction.
 * Returns epoch milliseconds, or undefined without `sent_at`.
 */
export const correctedTime = (event: { timestamp: string; sent_at?: string | undefined }, receivedAt: number): number | undefined => {
  if (event.sent_at === undefined) return undefined;
  const timestamp = parseIsoDateTime(event.timestamp);
  const sentAt = parseIsoDateTime(event.sent_at);
  if (timestamp === undefined || sentAt === undefined) return undefined;
  return receivedAt - (sentAt - timestamp);
};
