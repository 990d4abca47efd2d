import { ValidationError } from './errors.js';
import { parseIsoDateTime } from './iso-date-time.js';

/** Accepted event times: from 2000-01-01T00:00:00Z up to 24 h after the server's clock (device clocks drift). */
export const EARLIEST_TIMESTAMP = Date.UTC(2000, 0, 1);
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** Throws a ValidationError when `timestamp` (already schema-valid) lies outside the accepted window. */
export const checkTimestampWindow = (timestamp: string, now: Date): void => {
  const millis = parseIsoDateTime(timestamp);
  if (millis === undefined) return; // the schema reports malformed timestamps
  let problem: string | undefined;
  if (millis < EARLIEST_TIMESTAMP) problem = 'must not be before 2000-01-01T00:00:00Z';
  else if (millis > now.getTime() + MAX_FUTURE_MS) problem = 'must not be more than 24 hours in the future';
  if (problem) throw new ValidationError('Validation failed', [{ field: 'timestamp', message: problem }]);
};
