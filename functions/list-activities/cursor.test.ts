import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('read cursors', () => {
  it('decodes what it encoded', () => {
    const cursor = { occurredAt: new Date('2026-02-19T10:00:00.123Z'), id: 42 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['a time past the range of a Date', [8_640_000_000_000_001, 1]],
    ['a time before the range of a Date', [-8_640_000_000_000_001, 1]],
    ['a fractional time', [1.5, 1]],
    ['a negative row id', [0, -1]],
    ['a third element', [0, 1, 2]],
    ['an object', { occurredAt: 0, id: 1 }],
    ['text that is not JSON', 'not-a-cursor'],
  ])('refuses %s with a 400 naming the cursor, never an invalid Date', (_case, value) => {
    const cursor = typeof value === 'string' ? value : forged(value);
    expect(() => decodeCursor(cursor)).toThrowError(ValidationError);
    try {
      decodeCursor(cursor);
    } catch (error) {
      expect((error as ValidationError).details).toEqual([
        { field: 'cursor', message: 'is not a cursor this API returned' },
      ]);
    }
  });
});
