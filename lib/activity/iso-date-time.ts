/**
 * The JSON Schema format name of an event time. Not "iso-date-time": ajv-formats (which middy's validator loads
 * after our formats) defines that name itself, more loosely (a space for the T, a lower-case t or z, 23:59:60),
 * and would silently replace ours.
 */
export const DATE_TIME_FORMAT = 'iso8601-date-time';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** The number in text[start, start + count) if those are all ASCII digits, else -1. */
const digits = (text: string, start: number, count: number): number => {
  if (start + count > text.length) return -1;
  let value = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
};

/** Minutes east of UTC for the text from `at` on (`Z`, `±HH:MM`, `±HHMM` or nothing), or undefined. */
const offsetMinutes = (text: string, at: number): number | undefined => {
  if (at === text.length) return 0;
  const sign = text.charCodeAt(at);
  if (sign === 90 /* Z */) return at + 1 === text.length ? 0 : undefined;
  if (sign !== 43 /* + */ && sign !== 45 /* - */) return undefined;
  const hours = digits(text, at + 1, 2);
  const colon = text.charCodeAt(at + 3) === 58 ? 1 : 0;
  const minutes = digits(text, at + 3 + colon, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || at + 5 + colon !== text.length) return undefined;
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
};

/** The fields of a date-time, read into one reused object (this runs several times per event). */
const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millis: 0, offset: 0 };

/**
 * Whether the text is a real ISO-8601 date-time, `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH[:]MM]`, leaving its parts in
 * `fields`. Read character by character: a regular expression with eleven groups cost five times as much.
 */
const readFields = (text: string): boolean => {
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58
  ) {
    return false;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  let second = 0;
  let millis = 0;
  let at = 16;
  if (text.charCodeAt(at) === 58) {
    second = digits(text, at + 1, 2);
    at += 3;
    if (text.charCodeAt(at) === 46 /* . */) {
      const start = at + 1;
      at = start;
      while (at < text.length && at - start < 9 && digits(text, at, 1) >= 0) at += 1;
      if (at === start) return false;
      const kept = Math.min(at - start, 3);
      millis = digits(text, start, kept) * (kept === 1 ? 100 : kept === 2 ? 10 : 1);
    }
  }
  if (year < 0 || month < 1 || month > 12 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  if (second < 0 || second > 59) return false;
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > daysInMonth) return false; // 2026-02-30 and friends
  const offset = offsetMinutes(text, at);
  if (offset === undefined) return false;
  fields.year = year;
  fields.month = month;
  fields.day = day;
  fields.hour = hour;
  fields.minute = minute;
  fields.second = second;
  fields.millis = millis;
  fields.offset = offset;
  return true;
};

/**
 * Milliseconds since the epoch, or undefined when the text is not a real ISO-8601 date-time (readFields). The
 * documented example is "2026-02-19T10:00:00" (no offset); a missing offset means UTC.
 */
export const parseIsoDateTime = (text: string): number | undefined => {
  if (!readFields(text)) return undefined;
  const { year, month, day, hour, minute, second, millis, offset } = fields;
  let utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (year < 100) utc = new Date(utc).setUTCFullYear(year); // Date.UTC reads 0-99 as 1900-1999
  return utc - offset * 60_000;
};

/** The schema format's check: the same reading, without computing the instant. */
export const isIsoDateTime = (text: string): boolean => readFields(text);

/** Epoch milliseconds of a date-time the schema has already accepted; throws on anything else. */
export const toMillis = (text: string): number => {
  const millis = parseIsoDateTime(text);
  if (millis === undefined) throw new RangeError(`not an ISO-8601 date-time: ${text}`);
  return millis;
};
