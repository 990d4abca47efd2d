import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { queuedMessages, waitForBacklog } from '../support/backlog.js';
import { rateFigure } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
import { readMemory } from '../support/memory-reading.js';
import { trackBodies, trackBody } from '../support/payloads.js';
import { shardedId } from '../support/shards.js';
import type { Bench } from '../types.js';

export const TRACK_PATH = '/api/v1/events/track';

/**
 * P1 (P1-N<n> on a service with n shards): closed-loop POST /api/v1/events/track, each connection cycling through
 * the users so that every shard gets its share, after a warm-up that is not counted; the service's pollers store
 * the events meanwhile. Then the wait for its backlog. Resolves with the requests sent (they count towards P5's)
 * and the memory once warm (connections open).
 */
export const measureTrack = async (server: OfflineProcess, bench: Bench, as?: { id: string; what: string }) => {
  const sharded = shardedId('P1', bench.config);
  const { id, over } = as ? { id: as.id, over: as.what } : sharded;
  const { status, ms } = await timeOneRequest(server, id, TRACK_PATH, trackBody);
  const track = { label: id, path: TRACK_PATH, body: trackBodies };
  const { warmup, warm, stage } = await warmThenMeasure(server, track, () => readMemory(server));
  const { load } = stage;
  const queuedAfter = await queuedMessages(bench);
  bench.log.add({
    id,
    what: `POST /track, ${plan.connections} connections, ${plan.durationS} s${over}`,
    value: load.okPerSecond,
    unit: 'req/s',
    figure: rateFigure(load),
    details: {
      ...stage,
      coldStart: { status, ms },
      warmup: { seconds: warmup.load.durationS, load: warmup.load, cpuCores: warmup.cpuCores },
      queuedAfter,
      backlog: await waitForBacklog(bench, plan.backlogTimeoutMs),
    },
  });
  const requests = 1 + warmup.load.completed + warmup.load.errors + load.completed + load.errors;
  return { requests, okPerSecond: load.okPerSecond, warmMemory: warm };
};
