import { DEBUGGER_MAX_MISSING } from '../../lib/http/debugger-schemas.js';

/**
 * How the debugger page follows a list (stored events, failed events) without reading what it has: plain functions of
 * plain values, sent inline at the top of the page's script and tested on their own (list-cursor.test.ts). As in
 * page-script.ts: no backtick, no backslash, and a dollar-brace only to put in a constant of the endpoint.
 *
 * A list polls `after` the newest id it has read (the cursor), so an idle page is answered `{"data":[],"more":false}`.
 * Ids are taken at INSERT and visible at COMMIT: with one persist per shard running at once, a row can appear below an
 * id already read. So each poll also names, as `missing`, the ids of the last LATE_IDS that the list does not hold;
 * the same ranges bring the rest of an answer cut at its size bound (`more`) on the next poll.
 */
export const listCursorScript = `
const LATE_IDS = 2000;
const MAX_MISSING = ${DEBUGGER_MAX_MISSING};

// A list: its rows newest first, at most keep of them; the newest id it has read; the id at or below which it asks
// for nothing (for failed events, what "Load older" reads instead).
function createList(path, keep) {
  return { path, keep, rows: [], newest: 0, floor: 0 };
}

const idRange = (from, to) => (from === to ? String(from) : from + '-' + to);

// The ids above floor and up to newest that ids (newest first) lacks, newest first, as at most max ranges.
function missingRanges(ids, newest, floor, max) {
  const ranges = [];
  let above = newest + 1;
  for (const id of ids) {
    if (id <= floor) break;
    if (id < above - 1) ranges.push(idRange(id + 1, above - 1));
    above = id;
  }
  if (above - 1 > floor) ranges.push(idRange(floor + 1, above - 1));
  return ranges.slice(0, max);
}

// The query of a list's next poll: what is newer than its cursor, and the ids below it that it is missing.
function pollQuery(list, limit) {
  const full = list.rows.length >= list.keep ? list.rows[list.keep - 1].id : 0;
  const floor = Math.max(list.floor, full, list.newest - LATE_IDS);
  const missing = missingRanges(list.rows.map((row) => row.id), list.newest, floor, MAX_MISSING);
  return '?limit=' + limit + '&after=' + list.newest + (missing.length ? '&missing=' + missing.join(',') : '');
}

// Takes an answer's rows into a list: newest first, each id once, the newest keep; the cursor moves to the newest.
function takeRows(list, rows) {
  if (rows.length === 0) return false;
  const byId = new Map(list.rows.map((row) => [row.id, row]));
  for (const row of rows) byId.set(row.id, row);
  list.rows = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, list.keep);
  list.newest = Math.max(list.newest, rows[0].id);
  return true;
}
`;
