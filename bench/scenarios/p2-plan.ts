import type { OfflineProcess } from '../../tools/offline.js';
import { BIG_PLAN_PROPERTIES, BIG_PLAN_TYPES, writeBigPlan } from '../support/big-plan.js';
import type { Bench } from '../types.js';
import { measureBatch } from './p2-batch.js';
import { replaceService } from './p3-drain.js';

/**
 * P2-plan (issue 20): P2's load, the same events, on a service started with a tracking plan of 500 types of 20
 * properties each in reject mode, under which every event conforms: what checking every event against the plan
 * costs. `server` (P2's) is stopped first, so one service runs at a time; `onServer` hears of the new one at once.
 * Resolves with it.
 */
export const measureBatchWithPlan = async (
  server: OfflineProcess,
  bench: Bench,
  onServer: (server: OfflineProcess) => void,
): Promise<OfflineProcess> => {
  const planned = await replaceService(server, bench, onServer, { env: { TRACKING_PLAN: writeBigPlan(bench.root) } });
  const what = `, with a tracking plan of ${BIG_PLAN_TYPES} types x ${BIG_PLAN_PROPERTIES} properties (all conforming)`;
  await measureBatch(planned, bench, { id: 'P2-plan', what });
  return planned;
};
