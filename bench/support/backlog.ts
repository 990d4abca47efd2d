import { performance } from 'node:perf_hooks';
import { queuePairs } from '../../lib/rabbitmq/topology.js';
import { eventually } from '../../tools/services.js';
import type { Bench } from '../types.js';

/** Messages ready on all of the run's queues (one per shard). */
export const queuedMessages = async ({ broker, config }: Pick<Bench, 'broker' | 'config'>): Promise<number> => {
  let total = 0;
  for (const { queue } of queuePairs(config)) total += await broker.count(queue);
  return total;
};

/**
 * Waits until the pollers have emptied the queues and the row count has stopped moving, so the next measurement
 * does not share the CPU with the previous one's backlog.
 */
export const waitForBacklog = async (bench: Bench, timeoutMs: number) => {
  const begun = performance.now();
  const queued = await queuedMessages(bench);
  let rows = -1;
  const drained = await eventually(
    async () => {
      const [queuedNow, rowsNow] = [await queuedMessages(bench), await bench.database.countRows()];
      const still = queuedNow === 0 && rowsNow === rows;
      rows = rowsNow;
      return still;
    },
    timeoutMs,
    250,
  );
  return { queued, rows, waitedS: (performance.now() - begun) / 1000, drained };
};
