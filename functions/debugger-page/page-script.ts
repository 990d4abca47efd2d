/**
 * The debugger page's script, sent inline as it is (no bundler, nothing fetched from elsewhere). String.raw keeps its
 * backslashes; it must not contain a backtick or a dollar-brace. Data only ever reaches the page through textContent.
 */
export const pageScript = String.raw`'use strict';
const KEEP = 500;
const FAILED_PAGE = 50;
const KEY_SLOT = 'debugger.readKey';
const el = (id) => document.getElementById(id);
const LATE_IDS = 2000;
const state = { events: [], lastId: 0, paused: false, selectedId: null, failed: [], failedEnd: false, needKey: false };

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

async function getData(path) {
  const response = await request(path);
  if (!response.ok) throw new Error(path.split('?')[0] + ' answered ' + response.status);
  return (await response.json()).data;
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

// Who an event is about: the native user_id, else the Segment userId (user_key), else its anonymousId.
const userOf = (event) => (event.user_id > 0 ? String(event.user_id) : event.user_key ?? event.anonymous_id ?? '');

function matches(event) {
  const user = el('f-user').value.trim();
  const type = el('f-type').value.trim().toLowerCase();
  const known = [String(event.user_id), event.user_key, event.anonymous_id];
  return (!user || known.includes(user)) && (!type || event.event_type.toLowerCase().includes(type));
}

function renderEvents() {
  const shown = state.events.filter(matches);
  el('events').replaceChildren(
    ...shown.map((event) => {
      const tr = cells(document.createElement('tr'), [
        event.id, clock(event.stored_at), userOf(event), event.event_type, event.timestamp, event.event_id,
      ]);
      tr.dataset.id = String(event.id);
      tr.tabIndex = 0;
      if (event.id === state.selectedId) tr.className = 'selected';
      return tr;
    }),
  );
  el('shown').textContent = state.events.length
    ? shown.length + ' of the ' + state.events.length + ' newest events'
    : 'No events stored yet.';
}

function select(target) {
  const tr = target.closest('tr[data-id]');
  const event = tr && state.events.find((e) => String(e.id) === tr.dataset.id);
  if (!event) return;
  state.selectedId = event.id;
  el('detail-json').textContent = JSON.stringify(event, null, 2);
  el('detail-hint').hidden = true;
  for (const row of el('events').querySelectorAll('tr.selected')) row.className = '';
  tr.className = 'selected';
}

async function pollEvents() {
  if (state.paused) return;
  // Ids are taken at INSERT and become visible at COMMIT: with one persist per shard running at once, a row can
  // appear below an id already shown. Re-reading the last LATE_IDS ids catches it; what is already shown is skipped.
  const after = Math.max(0, state.lastId - LATE_IDS);
  const rows = await getData('/api/v1/debugger/events?limit=' + KEEP + '&after=' + after);
  if (!state.paused) setStatus('live', 'ok');
  const shown = new Set(state.events.map((event) => event.id));
  const fresh = rows.filter((row) => !shown.has(row.id));
  if (fresh.length === 0) return;
  state.lastId = Math.max(state.lastId, fresh[0].id);
  state.events = fresh.concat(state.events).sort((a, b) => b.id - a.id).slice(0, KEEP);
  renderEvents();
}

function renderFailed() {
  el('failed').replaceChildren(
    ...state.failed.map((failed) => {
      const tr = cells(document.createElement('tr'), [failed.id, clock(failed.stored_at), failed.reason]);
      const body = document.createElement('td');
      const pre = document.createElement('pre');
      pre.textContent = failed.raw_body;
      body.append(pre);
      tr.append(body);
      return tr;
    }),
  );
  el('failed-empty').hidden = state.failed.length > 0;
  el('older').hidden = state.failed.length === 0 || state.failedEnd;
}

async function pollFailed() {
  const newest = state.failed.length ? state.failed[0].id : 0;
  const rows = await getData('/api/v1/debugger/failed?limit=' + FAILED_PAGE + '&after=' + newest);
  const fresh = rows.filter((row) => row.id > newest);
  if (state.failed.length === 0 || fresh.length === FAILED_PAGE) {
    // The first page, or a full one that may have unread rows below it: the list restarts from it, so that
    // "Load older" (which reads below the oldest row shown) never skips any.
    state.failed = fresh;
    state.failedEnd = fresh.length < FAILED_PAGE;
  } else {
    state.failed = fresh.concat(state.failed);
  }
  renderFailed();
}

async function loadOlderFailed() {
  const oldest = state.failed[state.failed.length - 1];
  const rows = await getData('/api/v1/debugger/failed?limit=' + FAILED_PAGE + '&before=' + oldest.id);
  state.failed = state.failed.concat(rows);
  state.failedEnd = rows.length < FAILED_PAGE;
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

// Each loop waits for its request before scheduling the next, so a slow service is never asked twice at once.
function every(ms, task) {
  const run = async () => {
    if (!state.needKey) {
      try {
        await task();
      } catch (error) {
        if (!(error instanceof Unauthorized)) setStatus(error.message, 'error');
      }
    }
    setTimeout(run, ms);
  };
  run();
}

function showTab(name) {
  for (const tab of ['events', 'failed']) {
    el('view-' + tab).hidden = tab !== name;
    el('tab-' + tab).setAttribute('aria-selected', String(tab === name));
  }
}

el('pause').addEventListener('click', () => {
  state.paused = !state.paused;
  el('pause').textContent = state.paused ? 'Resume' : 'Pause';
  if (state.paused) setStatus('paused', 'warn');
  else pollEvents().catch(() => undefined);
});
el('f-user').addEventListener('input', renderEvents);
el('f-type').addEventListener('input', renderEvents);
el('events').addEventListener('click', (e) => select(e.target));
el('events').addEventListener('keydown', (e) => e.key === 'Enter' && select(e.target));
el('tab-events').addEventListener('click', () => showTab('events'));
el('tab-failed').addEventListener('click', () => showTab('failed'));
el('older').addEventListener('click', () => loadOlderFailed().catch((error) => setStatus(error.message, 'error')));
el('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY_SLOT, el('key').value.trim());
  el('key').value = '';
  el('key-form').hidden = true;
  state.needKey = false;
  setStatus('connecting', 'warn');
});

every(1000, pollEvents);
every(2000, pollFailed);
every(2000, pollStats);
`;
