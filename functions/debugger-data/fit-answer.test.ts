import { describe, expect, it } from 'vitest';
import { fitAnswer } from './fit-answer.js';

const rows = (count: number, text = 'x'.repeat(90)) =>
  Array.from({ length: count }, (_, i) => ({ id: count - i, text }));
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('fitAnswer', () => {
  it('keeps every row under the limit that fits, and says there is no more', () => {
    const answer = fitAnswer(rows(5), 10, 10_000);
    expect(answer).toEqual({ data: rows(5), more: false });
  });

  it('says there is more when the reader found one row beyond the limit', () => {
    const answer = fitAnswer(rows(11), 10, 10_000);
    expect(answer.data.map((row) => row.id)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    expect(answer.more).toBe(true);
  });

  it.each([1_000, 1_500, 4_096, 10_000])('stops before the row that would take the answer over %i bytes', (max) => {
    const all = rows(100, 'é"'.repeat(30));
    const answer = fitAnswer(all, 100, max);

    expect(bytes(answer)).toBeLessThanOrEqual(max);
    expect(answer.data).toEqual(all.slice(0, answer.data.length));
    const oneMore = { data: all.slice(0, answer.data.length + 1), more: true };
    expect(bytes(oneMore)).toBeGreaterThan(max);
    expect(answer.more).toBe(true);
  });

  it('measures exactly what JSON.stringify writes (UTF-8 bytes, escapes, commas)', () => {
    const all = rows(3, '\u0000😀"\\');
    const exact = bytes({ data: all, more: false });
    expect(fitAnswer(all, 3, exact)).toEqual({ data: all, more: false });
    expect(fitAnswer(all, 3, exact - 1).data).toHaveLength(2);
  });

  it('always answers the first row, however large, so a reader gets on', () => {
    const [huge] = rows(1, 'x'.repeat(5_000));
    expect(fitAnswer([huge, huge], 2, 100)).toEqual({ data: [huge], more: true });
  });
});
