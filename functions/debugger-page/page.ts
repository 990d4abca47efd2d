import { createHash } from 'node:crypto';
import { pageScript } from './page-script.js';

/**
 * The live event debugger: one HTML document with its style and script inline and nothing loaded from elsewhere
 * (no CDN, no web fonts), so it works on a machine without internet. It holds no data: the script reads the
 * read-key-protected endpoints.
 */

const style = `
  :root { color-scheme: light; --line: #d8dde3; --muted: #5b6572; --accent: #1f6feb; --panel: #fff; }
  * { box-sizing: border-box; }
  body {
    margin: 0; color: #1b1f24; background: #f6f8fa;
    font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif;
  }
  header {
    display: flex; align-items: center; gap: 12px; padding: 10px 16px;
    background: var(--panel); border-bottom: 1px solid var(--line);
  }
  h1 { font-size: 17px; margin: 0; flex: 1; }
  button {
    font: inherit; padding: 4px 12px; cursor: pointer;
    background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
  }
  button:hover { border-color: var(--accent); }
  input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; width: 11em; }
  .status { padding: 2px 10px; border-radius: 10px; font-size: 12px; }
  .status.ok { background: #dafbe1; color: #116329; }
  .status.warn { background: #fff8c5; color: #7d4e00; }
  .status.error { background: #ffebe9; color: #a40e26; }
  .tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; padding: 12px 16px 0; }
  .tile { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
  .tile span { display: block; color: var(--muted); font-size: 12px; }
  .tile strong { font-size: 24px; font-variant-numeric: tabular-nums; }
  .spark { display: flex; align-items: flex-end; gap: 2px; height: 24px; float: right; width: 60%; margin-top: 6px; }
  .spark i { flex: 1; background: #8cb4f5; }
  .note { color: var(--muted); margin: 6px 16px; min-height: 1.4em; }
  .key { margin: 10px 16px; padding: 10px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 8px; }
  .key .error { color: #a40e26; margin-left: 8px; }
  nav { padding: 0 16px; border-bottom: 1px solid var(--line); }
  nav button { border: 0; border-radius: 0; background: none; padding: 8px 14px; }
  nav button[aria-selected='true'] { border-bottom: 2px solid var(--accent); font-weight: 600; }
  main { padding: 10px 16px; }
  .filters { display: flex; gap: 16px; align-items: center; margin-bottom: 8px; }
  .filters .note { margin: 0; }
  .split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 12px; align-items: start; }
  .scroll, aside {
    max-height: calc(100vh - 270px); overflow: auto;
    background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  }
  aside { padding: 10px; }
  aside .note { margin: 0; }
  table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
  th { position: sticky; top: 0; background: #eef1f4; text-align: left; font-weight: 600; font-size: 12px; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; vertical-align: top; }
  #events tr { cursor: pointer; }
  #events tr:hover { background: #f0f6ff; }
  #events tr.selected { background: #ddf4ff; }
  #events tr.violates td:first-child { box-shadow: inset 3px 0 #bf8700; }
  #events td:nth-child(8) { color: #9a6700; max-width: 18em; overflow: hidden; text-overflow: ellipsis; }
  #events td:nth-child(6) { max-width: 10em; overflow: hidden; text-overflow: ellipsis; }
  #events td:nth-child(7) {
    max-width: 16em; overflow: hidden; text-overflow: ellipsis; color: var(--muted);
    font: 12px ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  }
  pre {
    margin: 0; white-space: pre-wrap; word-break: break-all;
    font: 12px/1.45 ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  }
  #failed td:nth-child(3) { white-space: normal; }
  #failed td:last-child { white-space: normal; width: 50%; }
  #failed pre { max-height: 8em; overflow: auto; background: #f6f8fa; padding: 4px; }
  #failed td button { margin-top: 4px; font-size: 12px; padding: 1px 8px; }
  #older { margin-top: 8px; }
`;

const body = `
<header>
  <h1>Event debugger</h1>
  <span id="status" class="status warn" role="status">connecting</span>
  <button id="pause" type="button">Pause</button>
</header>
<section class="tiles" aria-label="Pipeline">
  <div class="tile"><span>Queue depth</span><strong id="t-queue">\u2014</strong></div>
  <div class="tile"><span>DLQ depth</span><strong id="t-dlq">\u2014</strong></div>
  <div class="tile"><span>Failed events</span><strong id="t-failed">\u2014</strong></div>
  <div class="tile"><span>Stored per minute</span><strong id="t-rate">\u2014</strong>
    <div id="t-spark" class="spark" title="The last 15 minutes; the number is the current one"></div></div>
  <div class="tile"><span>Newest event age</span><strong id="t-age">\u2014</strong></div>
  <div class="tile"><span>Plan violations</span><strong id="t-violations">\u2014</strong></div>
</section>
<p id="stats-note" class="note"></p>
<form id="key-form" class="key" hidden>
  <label for="key">Read API key</label>
  <input id="key" type="password" autocomplete="off" required>
  <button type="submit">Use key</button>
  <span id="key-error" class="error"></span>
</form>
<nav role="tablist">
  <button id="tab-events" type="button" role="tab" aria-selected="true">Events</button>
  <button id="tab-failed" type="button" role="tab" aria-selected="false">Failed events</button>
  <button id="tab-regulations" type="button" role="tab" aria-selected="false">Regulations</button>
</nav>
<main>
  <section id="view-events">
    <div class="filters">
      <label>user <input id="f-user" autocomplete="off" title="user_id, userId or anonymousId"></label>
      <label>event_type <input id="f-type" autocomplete="off"></label>
      <label title="Events the tracking plan flagged (TRACKING_PLAN, enforcement or unplanned: flag)">
        <input id="f-violations" type="checkbox"> only plan violations</label>
      <p id="shown" class="note">Loading\u2026</p>
    </div>
    <div class="split">
      <div class="scroll"><table>
        <thead><tr>
          <th>id</th><th>stored</th><th>user</th><th>event_type</th><th>timestamp</th><th>event_id</th>
          <th>metadata</th><th>plan violations</th>
        </tr></thead>
        <tbody id="events"></tbody>
      </table></div>
      <aside>
        <p id="detail-hint" class="note">Click an event to see its stored JSON.</p><pre id="detail-json"></pre>
      </aside>
    </div>
  </section>
  <section id="view-failed" hidden>
    <div class="scroll"><table>
      <thead><tr><th>id</th><th>stored</th><th>reason</th><th>raw body</th></tr></thead>
      <tbody id="failed"></tbody>
    </table></div>
    <p id="failed-empty" class="note">No failed events.</p>
    <button id="older" type="button" hidden>Load older</button>
  </section>
  <section id="view-regulations" hidden>
    <div class="scroll"><table>
      <thead><tr>
        <th>created</th><th>type</th><th>subject type</th><th>status</th><th>finished</th><th>events deleted</th>
        <th>failed deleted</th><th>in flight dropped</th><th>id</th>
      </tr></thead>
      <tbody id="regulations"></tbody>
    </table></div>
    <p id="regulations-note" class="note">Loading\u2026</p>
  </section>
</main>`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

export const debuggerPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event debugger</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>${body}
<script>${pageScript}</script>
</body>
</html>
`;

/**
 * Only this page's own style and script may run (by hash), it may talk only to its own origin, and its key form can
 * never be submitted as a navigation (which could put the key in a URL); nothing may frame it.
 */
export const debuggerPageCsp = [
  "default-src 'none'",
  `script-src ${sha256(pageScript)}`,
  `style-src ${sha256(style)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
