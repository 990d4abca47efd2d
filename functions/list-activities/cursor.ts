import { ValidationError } from '../../lib/errors.js';
import type { ActivityCursor } from '../../lib/ports.js';

/** Opaque to clients: base64url of the last row's (occurred_at, id). */
export const encodeCursor = ({ occurredAt, id }: ActivityCursor): string =>
  Buffer.from(JSON.stringify([occurredAt.getTime(), id])).toString('base64url');

// What a cursor this API returned can hold: a time a Date can represent (a forged one beyond it threw "Invalid time
// value", a 500: issue 16) and a row id.
const MAX_DATE_MS = 8.64e15;
const isTime = (value: unknown): value is number =>
  Number.isSafeInteger(value) && Math.abs(value as number) <= MAX_DATE_MS;
const isRowId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export const decodeCursor = (cursor: string): ActivityCursor => {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [millis, id] = decoded;
      if (isTime(millis) && isRowId(id)) return { occurredAt: new Date(millis), id };
    }
  } catch {
    // falls through to the error below
  }
  throw new ValidationError('Validation failed', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
};
