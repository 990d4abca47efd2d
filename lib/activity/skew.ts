/**
 * Device clocks drift. When the client says when it sent the request (`sent_at`, by the same clock as `timestamp`),
 * the event time on the server's clock is `received_at − (sent_at − timestamp)`: Segment's and Snowplow's correction.
 * All in epoch milliseconds; undefined without `sent_at`.
 */
export const correctedTime = (
  occurredAt: number,
  sentAt: number | undefined,
  receivedAt: number,
): number | undefined => (sentAt === undefined ? undefined : receivedAt - (sentAt - occurredAt));
