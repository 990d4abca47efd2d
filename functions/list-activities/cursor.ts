import { ValidationError } from '../../lib/errors.js';
import type { ActivityCursor } from '../../lib/ports.js';

/** Opaque to clients: base64url of the last row's (occurred_at, id). */
export const encodeCursor = ({ occurredAt, id }: ActivityCursor): string =>
  Buffer.from(JSON.stringify([occurredAt.getTime(), id])).toString('base64url');

export const decodeCursor = (cursor: string): ActivityCursor => {
  try {
    const [millis, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(millis) && Number.isSafeInteger(id))
      return { occurredAt: new Date(millis as number), id: id as number };
  } catch {
    // falls through to the error below
  }
  throw new ValidationError('Validation failed', [{ field: 'cursor', message: 'is not a cursor this API returned' }]);
};
