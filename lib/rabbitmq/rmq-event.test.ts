import { describe, expect, it } from 'vitest';
import { formatRmqTimestamp, rmqTimestampMillis } from './rmq-event.js';

describe('the AMQP timestamp in an aws:rmq event', () => {
  it.each([
    // AWS's documented sample event.
    ['Jan 1, 1970, 12:33:41 AM', 2_021_000],
    ['Feb 19, 2026, 10:00:03 AM', Date.UTC(2026, 1, 19, 10, 0, 3)],
    ['Feb 19, 2026, 12:00:00 PM', Date.UTC(2026, 1, 19, 12, 0, 0)],
    ['Feb 19, 2026, 11:59:59\u202fPM', Date.UTC(2026, 1, 19, 23, 59, 59)],
    ['2026-02-19T10:00:03.000Z', Date.UTC(2026, 1, 19, 10, 0, 3)],
  ])('reads %j', (text, millis) => {
    expect(rmqTimestampMillis(text)).toBe(millis);
  });

  it.each([null, '', 'yesterday', 'Feb 30, 2026, 10:00:00 AM', 'Feb 19, 2026, 13:00:00 PM'])('ignores %j', (text) => {
    expect(rmqTimestampMillis(text)).toBeUndefined();
  });

  it('is rendered by the local poller as Lambda renders it, and read back', () => {
    expect(formatRmqTimestamp(2021)).toBe('Jan 1, 1970, 12:33:41 AM');
    const seconds = Math.floor(Date.UTC(2026, 10, 29, 15, 4, 5) / 1000);
    expect(formatRmqTimestamp(seconds)).toBe('Nov 29, 2026, 3:04:05 PM');
    expect(rmqTimestampMillis(formatRmqTimestamp(seconds))).toBe(seconds * 1000);
  });
});
