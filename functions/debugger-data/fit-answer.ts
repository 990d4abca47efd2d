/** A list answer: rows newest first, and whether rows the request asked for were left out. */
export interface ListAnswer<T> {
  data: T[];
  more: boolean;
}

const EMPTY = Buffer.byteLength(JSON.stringify({ data: [], more: false }));

/**
 * The first `limit` rows that fit, as JSON, in `maxBytes` (always at least one, so a reader always gets on), and
 * whether any were left out: the rows were read `limit + 1`, so one more than `limit` says there are more.
 */
export const fitAnswer = <T>(rows: T[], limit: number, maxBytes: number): ListAnswer<T> => {
  const data: T[] = [];
  let bytes = EMPTY;
  for (const row of rows.slice(0, limit)) {
    const size = Buffer.byteLength(JSON.stringify(row)) + (data.length > 0 ? 1 : 0);
    if (data.length > 0 && bytes + size > maxBytes) return { data, more: true };
    bytes += size;
    data.push(row);
  }
  return { data, more: rows.length > limit };
};
