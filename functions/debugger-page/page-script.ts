import { DEBUGGER_MAX_LIMIT } from '../../lib/http/debugger-schemas.js';
import { DEBUGGER_PREVIEW_CHARS } from '../../lib/ports.js';
import { listCursorScript } from './list-cursor.js';

/**
 * The debugger page's script, sent inline as it is (no bundler, nothing fetched from elsewhere). String.raw keeps its
 * backslashes; it must not contain a backtick, nor a dollar-brace except to put in a constant of the endpoint. Data
 * only ever reaches the page through textContent.
 */
export const pageScript = `'use strict';${listCursorScript}${String.raw`
const KEEP = ${DEBUGGER_MAX_LIMIT};
const PREVIEW_CHARS = ${DEBUGGER_PREVIEW_CHARS};
const FAILED_PAGE = 50;
const KEY_SLOT = 'debugger.readKey';
// Failures double a loop's wait, up to this.
const MAX_BACKOFF_MS = 30000;
const el = (id) => document.getElementById(id);
const events = createList('/api/v1/debugger/events', KEEP);
const failed = createList('/api/v1/debugger/failed', Number.POSITIVE_INFINITY);
const state = { paused: false, selectedId: null, failedStarted: false, failedEnd: false, needKey: false };

class Unauthorized extends Error {}

function setStatus(text, kind) {
  el('status').textContent = text;
  el('status').className = 'status ' + kind;
}

function askForKey(message) {
  state.needKey = true;
  el('key-error').textContent = message;
  el('key-form').hidden = false;
  el('key').focus();
  setStatus('needs a read API key', 'warn');
}

// The key travels only in the Authorization header, never in a URL.
async function request(path) {
  const key = sessionStorage.getItem(KEY_SLOT);
  const response = await fetch(path, { headers: key ? { Authorization: 'Bearer ' + key } : {}, cache: 'no-store' });
  if (response.status === 401) {
    // A request that left before a new key was entered says nothing about the new key.
    if (key === sessionStorage.getItem(KEY_SLOT))
      askForKey(key ? 'The service refused that key.' : 'This service needs a read API key (READ_API_KEYS).');
    throw new Unauthorized();
  }
  return response;
}

async function getJson(path) {
  const response = await request(path);
  if (!response.ok) throw new Error(path.split('?')[0] + ' answered ' + response.status);
  return response.json();
}

function cells(tr, values) {
  for (const value of values) {
    const td = document.createElement('td');
    td.textContent = value === null || value === undefined ? '' : String(value);
    tr.append(td);
  }
  return tr;
}

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour12: false }) + '.' + iso.slice(20, 23);

// A preview as the list gives it, with an ellipsis where it was cut (truncated says a text of the row was: the one
// as long as a preview is).
const cut = (text, truncated) =>
  text === null ? '' : text + (truncated && [...text].length >= PREVIEW_CHARS ? '\u2026' : '');

// Who an event is about: the native user_id, else the Segment userId (user_key), else its anonymousId.
const userOf = (event) => (event.user_id > 0 ? String(event.user_id) : event.user_key ?? event.anonymous_id ?? '');

// A flagged event's violations (issue 20), as one cell: how many, and each field with its rule.
const violationsOf = (event) => event.plan_violations || [];
const describeViolations = (list) =>
  list.length ? '\u26a0 ' + list.length + ': ' + list.map((v) => v.field + ' (' + v.rule + ')').join(', ') : '';

function matches(event) {
  const user = el('f-user').value.trim();
  const type = el('f-type').value.trim().toLowerCase();
  const known = [String(event.user_id), event.user_key, event.anonymous_id];
  const violating = !el('f-violations').checked || violationsOf(event).length > 0;
  return violating && (!user || known.includes(user)) && (!type || event.event_type.toLowerCase().includes(type));
}

function renderEvents() {
  const shown = events.rows.filter(matches);
  el('events').replaceChildren(
    ...shown.map((event) => {
      const tr = cells(document.createElement('tr'), [
        event.id, clock(event.stored_at), userOf(event), event.event_type, event.timestamp, event.event_id,
        cut(event.metadata_preview, event.truncated), describeViolations(violationsOf(event)),
      ]);
      tr.dataset.id = String(event.id);
      tr.tabIndex = 0;
      if (violationsOf(event).length) tr.classList.add('violates');
      if (event.id === state.selectedId) tr.classList.add('selected');
      return tr;
    }),
  );
  el('shown').textContent = events.rows.length
    ? shown.length + ' of the ' + events.rows.length + ' newest events'
    : 'No events stored yet.';
}

// The list holds previews; the whole event is the read API's, with the row id and stored_at of the list.
async function select(target) {
  const tr = target.closest('tr[data-id]');
  const event = tr && events.rows.find((e) => String(e.id) === tr.dataset.id);
  if (!event) return;
  state.selectedId = event.id;
  for (const row of el('events').querySelectorAll('tr.selected')) row.classList.remove('selected');
  tr.classList.add('selected');
  el('detail-json').textContent = '';
  el('detail-hint').textContent = 'Loading event ' + event.id + '\u2026';
  el('detail-hint').hidden = false;
  let text;
  try {
    const stored = await getJson('/api/v1/events/' + encodeURIComponent(event.event_id));
    text = JSON.stringify({ id: event.id, stored_at: event.stored_at, ...stored }, null, 2);
  } catch (error) {
    if (state.selectedId === event.id && !(error instanceof Unauthorized))
      el('detail-hint').textContent = error.message;
    return;
  }
  if (state.selectedId !== event.id) return;
  el('detail-json').textContent = text;
  el('detail-hint').hidden = true;
}

async function pollEvents() {
  if (state.paused) return;
  const answer = await getJson(events.path + pollQuery(events, KEEP));
  if (!state.paused) setStatus('live', 'ok');
  if (takeRows(events, answer.data)) renderEvents();
}

function renderFailed() {
  el('failed').replaceChildren(
    ...failed.rows.map((row) => {
      const reason = row.whole ? row.whole.reason : cut(row.reason_preview, row.truncated);
      const tr = cells(document.createElement('tr'), [row.id, clock(row.stored_at), reason]);
      const body = document.createElement('td');
      const pre = document.createElement('pre');
      pre.textContent = row.whole ? row.whole.raw_body : cut(row.raw_body_preview, row.truncated);
      body.append(pre);
      if (row.truncated && !row.whole) {
        const whole = document.createElement('button');
        whole.type = 'button';
        whole.textContent = 'Show all';
        whole.dataset.id = String(row.id);
        body.append(whole);
      }
      tr.append(body);
      return tr;
    }),
  );
  el('failed-empty').hidden = failed.rows.length > 0;
  el('older').hidden = failed.rows.length === 0 || state.failedEnd;
}

async function pollFailed() {
  const answer = await getJson(failed.path + pollQuery(failed, FAILED_PAGE));
  if (!state.failedStarted) {
    // What the first answer left out is older: "Load older" reads it, the polls do not.
    state.failedStarted = true;
    state.failedEnd = !answer.more;
    if (answer.more) failed.floor = answer.data[answer.data.length - 1].id;
  }
  if (takeRows(failed, answer.data) || failed.rows.length === 0) renderFailed();
}

async function loadOlderFailed() {
  const oldest = failed.rows[failed.rows.length - 1];
  const answer = await getJson(failed.path + '?limit=' + FAILED_PAGE + '&before=' + oldest.id);
  failed.rows = failed.rows.concat(answer.data);
  state.failedEnd = !answer.more;
  renderFailed();
}

// The list cuts the reason and the raw body; this reads the failed event whole into its row.
async function showWholeFailed(button) {
  const row = failed.rows.find((r) => String(r.id) === button.dataset.id);
  if (!row) return;
  row.whole = await getJson('/api/v1/debugger/failed/' + row.id);
  renderFailed();
}

function age(seconds) {
  if (seconds === null) return null;
  if (seconds < 1) return '< 1 s';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min';
  if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
  return Math.round(seconds / 86400) + ' d';
}

function tile(id, value) {
  el(id).textContent = value === null || value === undefined ? '\u2014' : String(value);
}

// A part is null when its source (broker or database) did not answer; its tiles then show a dash.
function renderStats(stats) {
  const stored = stats.stored;
  const minutes = stored ? stored.per_minute : [];
  const max = Math.max(1, ...minutes.map((m) => m.count));
  tile('t-queue', stats.queue && stats.queue.messages);
  tile('t-dlq', stats.dead_letters && stats.dead_letters.messages);
  tile('t-failed', stats.failed_events && stats.failed_events.total);
  tile('t-rate', minutes.length ? minutes[minutes.length - 1].count : null);
  tile('t-age', stored ? age(stored.newest_age_seconds) : null);
  tile('t-violations', stats.plan_violations && stats.plan_violations.total);
  el('t-spark').replaceChildren(
    ...minutes.map((m) => {
      const bar = document.createElement('i');
      bar.style.height = Math.max(4, Math.round((100 * m.count) / max)) + '%';
      bar.title = clock(m.minute).slice(0, 5) + ': ' + m.count + ' stored';
      return bar;
    }),
  );
  const down = stats.unavailable || [];
  el('stats-note').textContent = down.length ? 'Not answering: ' + down.join(', ') : '';
}

// The tiles are a side show: their trouble is told beside them, not in the status of the live view.
async function pollStats() {
  const response = await request('/api/v1/stats');
  if (response.ok) renderStats(await response.json());
  else if (response.status === 404) el('stats-note').textContent = 'This service has no GET /api/v1/stats.';
  else el('stats-note').textContent = 'GET /api/v1/stats answered ' + response.status + '.';
}

// The regulations (issue 19) need an admin key: a 401 here is told beside the list, it does not stop the page.
async function pollRegulations() {
  if (el('view-regulations').hidden) return;
  const key = sessionStorage.getItem(KEY_SLOT);
  const response = await fetch('/api/v1/regulations?pagination.count=50', {
    headers: key ? { Authorization: 'Bearer ' + key } : {},
    cache: 'no-store',
  });
  if (!response.ok) {
    el('regulations-note').textContent =
      response.status === 401
        ? 'The regulations need an admin key (ADMIN_API_KEYS): enter one in the key form.'
        : 'GET /api/v1/regulations answered ' + response.status + '.';
    return;
  }
  const list = (await response.json()).data.regulations;
  el('regulations').replaceChildren(
    ...list.map((r) =>
      cells(document.createElement('tr'), [
        r.createdAt.replace('T', ' ').slice(0, 19),
        r.regulationType,
        r.subjectType,
        r.overallStatus,
        r.finishedAt ? r.finishedAt.replace('T', ' ').slice(0, 19) : '',
        r.deleted.events,
        r.deleted.failedEvents,
        r.deleted.deadLetters,
        r.id,
      ]),
    ),
  );
  el('regulations-note').textContent = list.length ? 'The newest 50.' : 'No regulations.';
}

const loops = [];

// Each loop waits for its request before scheduling the next, so a slow service is never asked twice at once. Each
// failure doubles the wait (up to MAX_BACKOFF_MS), and a hidden tab asks nothing: the loops stop, and start again at
// once when the tab is shown.
function every(ms, task) {
  const loop = { timer: null, busy: false, failures: 0 };
  const run = async () => {
    loop.timer = null;
    if (document.visibilityState === 'hidden') return;
    loop.busy = true;
    if (!state.needKey) {
      try {
        await task();
        loop.failures = 0;
      } catch (error) {
        if (!(error instanceof Unauthorized)) {
          loop.failures += 1;
          setStatus(error.message, 'error');
        }
      }
    }
    loop.busy = false;
    if (document.visibilityState !== 'hidden')
      loop.timer = setTimeout(run, Math.min(MAX_BACKOFF_MS, ms * 2 ** loop.failures));
  };
  loop.wake = () => {
    if (loop.busy) return;
    clearTimeout(loop.timer);
    run();
  };
  loops.push(loop);
  run();
  return loop;
}

const wakeAll = () => loops.forEach((loop) => loop.wake());

function showTab(name) {
  for (const tab of ['events', 'failed', 'regulations']) {
    el('view-' + tab).hidden = tab !== name;
    el('tab-' + tab).setAttribute('aria-selected', String(tab === name));
  }
  if (name === 'regulations') regulationsLoop.wake();
}

el('pause').addEventListener('click', () => {
  state.paused = !state.paused;
  el('pause').textContent = state.paused ? 'Resume' : 'Pause';
  if (state.paused) setStatus('paused', 'warn');
  else eventsLoop.wake();
});
el('f-user').addEventListener('input', renderEvents);
el('f-type').addEventListener('input', renderEvents);
el('f-violations').addEventListener('change', renderEvents);
el('events').addEventListener('click', (e) => select(e.target));
el('events').addEventListener('keydown', (e) => e.key === 'Enter' && select(e.target));
el('failed').addEventListener('click', (e) => {
  const button = e.target.closest('button[data-id]');
  if (button) showWholeFailed(button).catch((error) => setStatus(error.message, 'error'));
});
el('tab-events').addEventListener('click', () => showTab('events'));
el('tab-failed').addEventListener('click', () => showTab('failed'));
el('tab-regulations').addEventListener('click', () => showTab('regulations'));
el('older').addEventListener('click', () => loadOlderFailed().catch((error) => setStatus(error.message, 'error')));
el('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY_SLOT, el('key').value.trim());
  el('key').value = '';
  el('key-form').hidden = true;
  state.needKey = false;
  setStatus('connecting', 'warn');
  wakeAll();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') wakeAll();
});

const eventsLoop = every(1000, pollEvents);
every(2000, pollFailed);
every(2000, pollStats);
const regulationsLoop = every(5000, pollRegulations);
`}`;
