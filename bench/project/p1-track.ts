import { plan } from '../plan.js';
import { formatCpu } from '../support/cpu-meter.js';
import { runHttpStage, timeOneRequest, warmUp } from '../support/http-stage.js';
import { failureNote } from '../support/load.js';
import type { OfflineServer } from '../support/offline-server.js';
import { trackBody } from '../support/payloads.js';
import { formatInt, progress } from '../support/progress.js';
import type { BenchServices } from '../support/services.js';
import type { Measurement } from '../types.js';
import { readMemory, type MemoryReading } from './memory-reading.js';

export const TRACK_PATH = '/api/v1/events/track';

export interface TrackRun {
  measurement: Measurement;
  /** Track requests sent, warm-up included (they count towards P5's 50,000). */
  requests: number;
  okPerSecond: number;
  /** The server's memory once warm (connections open; worker threads started, if serverless offline uses them). */
  warmMemory: MemoryReading;
}

/** P1: closed-loop POST /api/v1/events/track, after a warm-up that is not counted. */
export const measureTrack = async (server: OfflineServer, services: BenchServices): Promise<TrackRun> => {
  const url = `${server.baseUrl}${TRACK_PATH}`;
  const coldStart = await timeOneRequest(url, trackBody);
  progress(`  P1: first request answered ${coldStart.status} in ${coldStart.ms} ms; warming up`);
  const warmup = await warmUp(server, { label: 'P1 warm-up', url, body: trackBody, connections: plan.connections });
  const warmMemory = readMemory(server);
  const stage = await runHttpStage(server, { label: 'P1', url, body: trackBody, connections: plan.connections, durationS: plan.durationS });
  const { load } = stage;
  const queuedAfter = await services.queueDepth();
  progress(`  P1: CPU cores used: ${formatCpu(stage.cpuCores)}; ${formatInt(queuedAfter)} messages still queued`);
  return {
    requests: 1 + warmup.load.completed + warmup.load.errors + load.completed + load.errors,
    okPerSecond: load.okPerSecond,
    warmMemory,
    measurement: {
      id: 'P1',
      what: `POST /track, ${plan.connections} connections, ${plan.durationS} s`,
      value: load.okPerSecond,
      unit: 'req/s',
      figure: `${formatInt(load.okPerSecond)} req/s (p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms${failureNote(load)})`,
      details: { ...stage, coldStart, warmup: { seconds: warmup.load.durationS, load: warmup.load, cpuCores: warmup.cpuCores }, queuedAfter },
    },
  };
};
