import { performance } from 'node:perf_hooks';
import { plan } from '../plan.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import type { OfflineServer } from '../support/offline-server.js';
import { formatInt, progress, sleep } from '../support/progress.js';
import { RowWatcher } from '../support/row-watcher.js';
import type { BenchServices } from '../support/services.js';
import { summarize } from '../support/stats.js';
import type { Measurement } from '../types.js';

const POLL_MS = 50;

/**
 * P3: `count` messages were queued before serverless offline started; from the moment its poller consumes, how
 * long until all of them are rows (poller, Lambda invocation, persist's validation and INSERTs).
 */
export const measureDrain = async (server: OfflineServer, services: BenchServices, count: number): Promise<Measurement> => {
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid });
  const watcher = new RowWatcher(services.db);
  let firstRowAt: number | undefined;
  let lastReport = performance.now();
  let rows = 0;
  while (rows < count && performance.now() - server.readyAt < plan.backlogTimeoutMs) {
    rows = await watcher.count();
    const now = performance.now();
    if (rows > 0) firstRowAt ??= now;
    if (now - lastReport > 5000) {
      lastReport = now;
      progress(`  P3: ${formatInt(rows)}/${formatInt(count)} rows`);
    }
    if (rows < count) await sleep(POLL_MS);
  }
  const doneAt = performance.now();
  const cpuCores = cpu();
  const exact = await services.countRows();
  const seconds = (doneAt - server.readyAt) / 1000;
  const rate = exact / seconds;
  const persistMs = server.takeDurations().get('persist') ?? [];
  progress(`  P3: CPU cores used: ${formatCpu(cpuCores)}`);
  return {
    id: 'P3',
    what: `drain ${formatInt(count)} queued messages into rows`,
    value: exact >= count ? rate : null,
    unit: 'rows/s',
    figure: exact >= count ? `${formatInt(rate)} rows/s (${seconds.toFixed(1)} s)` : `incomplete: ${formatInt(exact)} rows after ${seconds.toFixed(0)} s`,
    details: {
      messages: count,
      rows: exact,
      seconds,
      firstRowAfterMs: firstRowAt === undefined ? null : Math.round(firstRowAt - server.readyAt),
      steadyRowsPerSecond: firstRowAt === undefined ? null : Math.round(exact / ((doneAt - firstRowAt) / 1000)),
      persistInvocations: persistMs.length,
      rowsPerInvocation: persistMs.length ? Math.round(exact / persistMs.length) : null,
      persistHandlerMs: summarize(persistMs),
      // Between the first and the last batch, how long each took end to end (poller included), next to the
      // handler's own duration above: the difference is what the poller and the batch hand-over cost.
      wallMsPerBatch: firstRowAt === undefined || persistMs.length < 2
        ? null
        : Math.round(((doneAt - firstRowAt) / (persistMs.length - 1)) * 100) / 100,
      cpuCores,
    },
  };
};
