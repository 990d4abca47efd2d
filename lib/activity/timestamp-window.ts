import { ValidationError } from '../errors.js';

/** Accepted event times: from 2000-01-01T00:00:00Z up to 24 h after the server's clock (device clocks drift). */
export const EARLIEST_TIMESTAMP = Date.UTC(2000, 0, 1);
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** Throws a ValidationError when the event time (epoch ms; undefined = malformed, left to the schema) is outside the window. */
export const checkTimestampWindow = (millis: number | undefined, now: Date): void => {
  if (millis === undefined) return;
  let problem: string | undefined;
  if (millis < EARLIEST_TIMESTAMP) problem = 'must not be before 2000-01-01T00:00:00Z';
  else if (millis > now.getTime() + MAX_FUTURE_MS) problem = 'must not be more than 24 hours in the future';
  if (problem) throw new ValidationError('Validation failed', [{ field: 'timestamp', message: problem }]);
};
