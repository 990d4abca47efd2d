import { randomUUID } from 'node:crypto';
import { runSteadyLoad } from '../../tools/load/steady-load.js';
import type { OfflineProcess } from '../../tools/offline.js';
import { sleep } from '../../tools/services.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import { formatInt, summarize } from '../support/figures.js';
import { trackPayload } from '../support/payloads.js';
import { RowWatcher } from '../support/row-watcher.js';
import type { Bench } from '../types.js';

const SETTLE_TIMEOUT_MS = 30_000;

/**
 * P4: at a steady `perSecond` (half of P1's), each request carries its own event_id; the table is polled every
 * few ms for new rows, and each row's first sighting (and its created_at) is compared with the time its 202
 * arrived. Resolves with the requests sent (they count towards P5's).
 */
export const measureVisibility = async (server: OfflineProcess, { database, log }: Bench, perSecond: number) => {
  if (!(perSecond >= 1)) throw new Error(`no rate to send at (P1 measured ${perSecond * 2} req/s)`);
  const watcher = new RowWatcher(database);
  await watcher.count(); // from the newest row on
  // When this process first saw each row (wall clock), and the row's own created_at.
  const seen = new Map<string, { visibleAt: number; createdAt: number }>();
  let [polling, polls] = [true, 0];
  const poller = (async () => {
    for (; polling; polls += 1) {
      const rows = await watcher.newRows();
      const visibleAt = Date.now();
      for (const row of rows) seen.set(row.eventId, { visibleAt, createdAt: row.createdAt });
      await sleep(plan.visibilityPollMs);
    }
  })();
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid });
  const nextEvent = () => ({ ...trackPayload, event_id: randomUUID() });
  const steady = { perSecond, seconds: plan.durationS, connections: plan.connections, nextEvent };
  const sent = await runSteadyLoad(() => server.baseUrl, { ...steady, label: 'P4', onProgress: progress });
  const accepted = sent.filter((answer) => answer.status === 202);
  const settleBy = Date.now() + SETTLE_TIMEOUT_MS;
  while (accepted.some((answer) => !seen.has(answer.eventId)) && Date.now() < settleBy) await sleep(50);
  polling = false;
  await poller;
  const cpuCores = cpu();
  const lags = accepted.flatMap(({ eventId, at, ms }) => {
    const row = seen.get(eventId);
    return row ? [{ visible: row.visibleAt - (at + ms), created: row.createdAt - (at + ms) }] : [];
  });
  const lag = summarize(lags.map((l) => l.visible));
  const missing = accepted.length - lags.length;
  const errors = sent.filter((answer) => answer.status === 'error').length;
  progress(`  P4: CPU cores used: ${formatCpu(cpuCores)}; ${formatInt(polls)} polls of the table`);
  const unseen = missing ? ` (${formatInt(missing)} rows never seen)` : '';
  log.add({
    id: 'P4',
    what: `202 -> row visible, at ${formatInt(perSecond)} req/s (half P1)`,
    value: missing === 0 && lags.length > 0 ? lag.p99 : null,
    unit: 'ms (p99)',
    figure: lags.length
      ? `p50 ${Math.round(lag.p50)} ms, p99 ${Math.round(lag.p99)} ms${unseen}`
      : 'no row became visible',
    details: {
      ratePerSecond: perSecond,
      sent: sent.length,
      accepted: accepted.length,
      nonAccepted: sent.length - errors - accepted.length,
      errors,
      missing,
      pollIntervalMs: plan.visibilityPollMs,
      visibleAfter202Ms: lag,
      // The row's created_at is the INSERT statement's start on the database clock (same machine): no polling
      // delay, but it precedes the commit by the statement's own duration.
      createdAtAfter202Ms: summarize(lags.map((l) => l.created)),
      httpLatencyMs: summarize(sent.filter((answer) => answer.status !== 'error').map((answer) => answer.ms)),
      cpuCores,
    },
  });
  return sent.length;
};
