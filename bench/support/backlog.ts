import { performance } from 'node:perf_hooks';
import { formatInt, progress, sleep } from './progress.js';
import type { BenchServices } from './services.js';

export interface Backlog {
  /** Messages waiting on the queue when the wait began. */
  queued: number;
  rows: number;
  waitedS: number;
  drained: boolean;
}

const POLL_MS = 250;

/**
 * Waits until the poller has emptied the queue and the row count has stopped moving, so the next measurement
 * does not share the CPU with the previous one's backlog.
 */
export const waitForBacklog = async (services: BenchServices, label: string, timeoutMs: number): Promise<Backlog> => {
  const begun = performance.now();
  const queued = await services.queueDepth();
  let rows = await services.countRows();
  let lastReport = begun;
  for (;;) {
    await sleep(POLL_MS);
    const [depth, now] = [await services.queueDepth(), await services.countRows()];
    const waitedS = (performance.now() - begun) / 1000;
    if (depth === 0 && now === rows) return { queued, rows, waitedS, drained: true };
    if (waitedS * 1000 > timeoutMs) return { queued, rows: now, waitedS, drained: false };
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      progress(`  ${label}: backlog ${formatInt(depth)} queued, ${formatInt(now)} rows`);
    }
    rows = now;
  }
};
