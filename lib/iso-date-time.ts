/**
 * ISO-8601 date-time with optional seconds, fraction and offset. The seed accepts "2026-02-19T10:00:00" (no offset);
 * we read a missing offset as UTC. ajv-formats' `date-time` demands an offset, hence our own format.
 */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/** Milliseconds since the epoch, or undefined when the text is not a real ISO-8601 date-time. */
export const parseIsoDateTime = (text: string): number | undefined => {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const part = (index: number) => Number(m[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return undefined; // 2026-02-30 and friends
  if (!m[9]) return local;
  const [offsetHours, offsetMinutes] = [part(10), part(11)];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  return local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
};

export const isIsoDateTime = (text: string): boolean => parseIsoDateTime(text) !== undefined;

/** Epoch milliseconds of a date-time the schema has already accepted; throws on anything else. */
export const toMillis = (text: string): number => {
  const millis = parseIsoDateTime(text);
  if (millis === undefined) throw new RangeError(`not an ISO-8601 date-time: ${text}`);
  return millis;
};
