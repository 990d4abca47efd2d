import { performance } from 'node:perf_hooks';
import { eventually } from '../../tools/services.js';
import type { Bench } from '../types.js';

/**
 * Waits until the poller has emptied the queue and the row count has stopped moving, so the next measurement
 * does not share the CPU with the previous one's backlog.
 */
export const waitForBacklog = async ({ broker, database, config }: Bench, timeoutMs: number) => {
  const begun = performance.now();
  const queued = await broker.count(config.queueName);
  let rows = -1;
  const drained = await eventually(
    async () => {
      const [queuedNow, rowsNow] = [await broker.count(config.queueName), await database.countRows()];
      const still = queuedNow === 0 && rowsNow === rows;
      rows = rowsNow;
      return still;
    },
    timeoutMs,
    250,
  );
  return { queued, rows, waitedS: (performance.now() - begun) / 1000, drained };
};
