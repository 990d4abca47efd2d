import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { plan } from '../plan.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import type { OfflineServer } from '../support/offline-server.js';
import { sendPaced } from '../support/paced-sender.js';
import { trackBodyWithId } from '../support/payloads.js';
import { formatInt, progress, sleep, wallClockMs } from '../support/progress.js';
import { RowWatcher } from '../support/row-watcher.js';
import type { BenchServices } from '../support/services.js';
import { summarize } from '../support/stats.js';
import type { Measurement } from '../types.js';
import { TRACK_PATH } from './p1-track.js';

const SETTLE_TIMEOUT_MS = 30_000;

interface Seen {
  /** When this process first saw the row (wall clock), and the row's own created_at. */
  visibleAt: number;
  createdAt: number;
}

/**
 * P4: at a steady `ratePerSecond` (half of P1's), each request carries its own event_id; the table is polled
 * every few ms for new rows, and each row's visibility time is compared with the time its 202 arrived.
 */
export const measureVisibility = async (
  server: OfflineServer,
  services: BenchServices,
  ratePerSecond: number,
): Promise<{ measurement: Measurement; requests: number }> => {
  if (!(ratePerSecond >= 1)) throw new Error(`no rate to send at (P1 measured ${ratePerSecond * 2} req/s)`);
  const watcher = new RowWatcher(services.db);
  await watcher.skipExisting();
  const seen = new Map<string, Seen>();
  let polling = true;
  let polls = 0;
  const poller = (async () => {
    while (polling) {
      const rows = await watcher.newRows();
      const visibleAt = wallClockMs();
      polls += 1;
      for (const row of rows) seen.set(row.eventId, { visibleAt, createdAt: row.createdAt });
      await sleep(plan.visibilityPollMs);
    }
  })();

  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid });
  const sent = await sendPaced({
    label: 'P4',
    url: `${server.baseUrl}${TRACK_PATH}`,
    ratePerSecond,
    durationS: plan.durationS,
    connections: plan.connections,
    nextRequest: () => {
      const id = randomUUID();
      return { id, body: trackBodyWithId(id) };
    },
  });
  const accepted = sent.answers.filter((answer) => answer.status === 202);
  const settleBy = performance.now() + SETTLE_TIMEOUT_MS;
  while (accepted.some((answer) => !seen.has(answer.id)) && performance.now() < settleBy) await sleep(50);
  polling = false;
  await poller;
  const cpuCores = cpu();

  const visible: number[] = [];
  const created: number[] = [];
  for (const answer of accepted) {
    const row = seen.get(answer.id);
    if (!row) continue;
    visible.push(row.visibleAt - answer.answeredAt);
    created.push(row.createdAt - answer.answeredAt);
  }
  const lag = summarize(visible);
  const missing = accepted.length - visible.length;
  progress(`  P4: CPU cores used: ${formatCpu(cpuCores)}; ${formatInt(polls)} polls of the table`);
  return {
    requests: sent.answers.length + sent.errors,
    measurement: {
      id: 'P4',
      what: `202 -> row visible, at ${formatInt(ratePerSecond)} req/s (half P1)`,
      value: missing === 0 && visible.length > 0 ? lag.p99 : null,
      unit: 'ms (p99)',
      figure: visible.length === 0
        ? 'no row became visible'
        : `p50 ${Math.round(lag.p50)} ms, p99 ${Math.round(lag.p99)} ms${missing ? ` (${formatInt(missing)} rows never seen)` : ''}`,
      details: {
        ratePerSecond,
        sent: sent.answers.length + sent.errors,
        accepted: accepted.length,
        nonAccepted: sent.answers.length - accepted.length,
        errors: sent.errors,
        missing,
        pollIntervalMs: plan.visibilityPollMs,
        visibleAfter202Ms: lag,
        // The row's created_at is the INSERT statement's start on the database clock (same machine): no polling
        // delay, but it precedes the commit by the statement's own duration.
        createdAtAfter202Ms: summarize(created),
        httpLatencyMs: summarize(sent.answers.map((answer) => answer.answeredAt - answer.sentAt)),
        cpuCores,
      },
    },
  };
};
