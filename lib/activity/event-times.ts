import { ValidationError } from '../errors.js';
import { toMillis } from './iso-date-time.js';
import { correctedTime } from './skew.js';
import { checkTimestampWindow } from './timestamp-window.js';

/** An event's client time and send time, normalised to UTC. */
export interface EventTimes {
  timestamp: string;
  sent_at?: string;
}

/**
 * A client clock may be far off (skew correction fixes it), but its times are stored as they were sent, in DATETIME
 * columns, whose documented range on MySQL and MariaDB is the years 1000 to 9999; and the queue carries them as
 * ISO-8601 text, which has four-digit years only. Outside it, "0000-01-01T00:00:00+01:00" became year -1 in UTC: text
 * the queue's schema refuses, so an accepted event turned poison (issue 16).
 */
const EARLIEST_STORABLE = Date.UTC(1000, 0, 1);
const LATEST_STORABLE = Date.UTC(10000, 0, 1) - 1;

const checkStorable = (field: 'timestamp' | 'sent_at', millis: number): void => {
  if (millis >= EARLIEST_STORABLE && millis <= LATEST_STORABLE) return;
  throw new ValidationError('Validation failed', [
    { field, message: 'must be from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z once converted to UTC' },
  ]);
};

/**
 * Checks a client time (skew-corrected when the client's send time is given) against the accepted window and
 * normalises both to UTC. Throws a ValidationError naming the field when a time is outside what can be stored, or
 * the event time outside the window. Shared by every source that carries client times.
 */
export const toEventTimes = (timestamp: string, sentAt: string | undefined, now: Date): EventTimes => {
  // Each time is parsed once: this runs for every event of every request.
  const occurredAt = toMillis(timestamp);
  checkStorable('timestamp', occurredAt);
  const sentMillis = sentAt === undefined ? undefined : toMillis(sentAt);
  if (sentMillis !== undefined) checkStorable('sent_at', sentMillis);
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
