import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { waitForBacklog } from '../support/backlog.js';
import { rateFigure } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
import { readMemory } from '../support/memory-reading.js';
import { trackBody } from '../support/payloads.js';
import type { Bench } from '../types.js';

export const TRACK_PATH = '/api/v1/events/track';

/**
 * P1: closed-loop POST /api/v1/events/track after a warm-up that is not counted, then the wait for its backlog.
 * Resolves with the requests sent (they count towards P5's) and the memory once warm (connections open).
 */
export const measureTrack = async (server: OfflineProcess, bench: Bench) => {
  const { status, ms } = await timeOneRequest(server, 'P1', TRACK_PATH, trackBody);
  const track = { label: 'P1', path: TRACK_PATH, body: trackBody };
  const { warmup, warm, stage } = await warmThenMeasure(server, track, () => readMemory(server));
  const { load } = stage;
  const queuedAfter = await bench.broker.count(bench.config.queueName);
  bench.log.add({
    id: 'P1',
    what: `POST /track, ${plan.connections} connections, ${plan.durationS} s`,
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
