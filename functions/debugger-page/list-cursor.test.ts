import { describe, expect, it } from 'vitest';
import { listCursorScript } from './list-cursor.js';

interface Row {
  id: number;
}
interface List {
  rows: Row[];
  newest: number;
  floor: number;
}

// The page's own functions, as the browser runs them.
const { createList, missingRanges, pollQuery, takeRows } = new Function(
  `${listCursorScript}; return { createList, missingRanges, pollQuery, takeRows };`,
)() as {
  createList: (path: string, keep: number) => List;
  missingRanges: (ids: number[], newest: number, floor: number, max: number) => string[];
  pollQuery: (list: List, limit: number) => string;
  takeRows: (list: List, rows: Row[]) => boolean;
};

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const span = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

describe('the debugger page following a list (its inline script)', () => {
  it('asks a new list for the newest rows, then only for what is newer than the newest it read', () => {
    const list = createList('/api/v1/debugger/events', 500);
    expect(pollQuery(list, 500)).toBe('?limit=500&after=0');

    takeRows(list, rows(3, 2, 1));

    expect(list.newest).toBe(3);
    expect(pollQuery(list, 500)).toBe('?limit=500&after=3');
  });

  it('names the ids below its cursor that it does not hold, as a late commit leaves them', () => {
    const list = createList('/api/v1/debugger/events', 500);
    takeRows(list, rows(10, 9, 8, 6, 5, 4, 3, 2, 1));
    takeRows(list, rows(14, 11));

    expect(pollQuery(list, 500)).toBe('?limit=500&after=14&missing=12-13,7');

    takeRows(list, rows(13, 7));
    expect(pollQuery(list, 500)).toBe('?limit=500&after=14&missing=12');
  });

  it('asks for the rest of a cut answer below its lowest row, down to the last 2,000 ids', () => {
    const list = createList('/api/v1/debugger/events', 500);
    takeRows(list, rows(...span(10_000, 9_721)));

    expect(pollQuery(list, 500)).toBe('?limit=500&after=10000&missing=8001-9720');
  });

  it('asks nothing below the oldest row of a full list: those would not be kept', () => {
    const list = createList('/api/v1/debugger/events', 500);
    takeRows(list, rows(...span(10_000, 9_501)));
    expect(pollQuery(list, 500)).toBe('?limit=500&after=10000');

    takeRows(list, rows(10_003));
    expect(list.rows).toHaveLength(500);
    expect(pollQuery(list, 500)).toBe('?limit=500&after=10003&missing=10001-10002');
  });

  it('asks nothing at or below its floor (a failed list leaves older rows to "Load older")', () => {
    const list = createList('/api/v1/debugger/failed', Number.POSITIVE_INFINITY);
    takeRows(list, rows(90, 80));
    list.floor = 80;
    takeRows(list, rows(40, 30));

    expect(pollQuery(list, 50)).toBe('?limit=50&after=90&missing=81-89');
  });

  it('names at most 20 ranges, the newest ones', () => {
    const everyOther = span(100, 1).filter((id) => id % 2 === 0);

    const ranges = missingRanges(everyOther, 100, 0, 20);

    expect(ranges).toHaveLength(20);
    expect(ranges[0]).toBe('99');
    expect(ranges.at(-1)).toBe('61');
  });

  it('keeps each row once, newest first, the newest `keep` of them, and says whether it took any', () => {
    const list = createList('/api/v1/debugger/events', 3);
    takeRows(list, [{ id: 2 }, { id: 1 }]);

    expect(takeRows(list, [{ id: 4 }, { id: 2 }, { id: 3 }])).toBe(true);
    expect(takeRows(list, [])).toBe(false);
    expect(list.rows.map((row) => row.id)).toEqual([4, 3, 2]);
    expect(list.newest).toBe(4);
  });
});
