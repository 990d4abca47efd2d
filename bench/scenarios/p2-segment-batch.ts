import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { waitForBacklog } from '../support/backlog.js';
import { formatCpu } from '../support/cpu-meter.js';
import { failureNote, formatInt } from '../support/figures.js';
import { type HttpStage, runHttpStage, timeOneRequest } from '../support/http-stage.js';
import { browserBatchBodies, segmentBatchBodies } from '../support/payloads.js';
import type { Bench } from '../types.js';

/** Bodies the connections cycle through (their messageIds are made fresh on every request: see payloads.ts). */
const BODIES = 20;

/** A Segment-format batch load: which row, the path, how the body is labelled, the bodies. */
export interface SegmentLoad {
  id: string;
  what: string;
  path: string;
  contentType: string;
  bodies: (count: number, size: number) => string[];
}

/** A load's windows, warmed up and probed: what it answered and how its backlog drained after each window. */
interface Windows {
  load: SegmentLoad;
  bodies: string[];
  stages: HttpStage[];
  backlogs: Array<Awaited<ReturnType<typeof waitForBacklog>>>;
}

const request = (load: SegmentLoad, bodies: string[]) => ({
  label: load.id,
  path: load.path,
  body: bodies,
  uniqueIds: true,
  contentType: load.contentType,
});

/** One measured window of `load` for `durationS`, then the wait for its backlog (so the next starts from empty queues). */
const runWindow = async (windows: Windows, server: OfflineProcess, bench: Bench, durationS: number) => {
  const { load, bodies } = windows;
  const { path, ...options } = request(load, bodies);
  const url = `${server.baseUrl}${path}`;
  const stage = await runHttpStage(server, { ...options, url, connections: plan.connections, durationS });
  progress(`  ${load.id}: ${formatInt(stage.load.okPerSecond)} req/s; CPU cores used: ${formatCpu(stage.cpuCores)}`);
  windows.stages.push(stage);
  windows.backlogs.push(await waitForBacklog(bench, plan.backlogTimeoutMs));
};

const record = (windows: Windows, bench: Bench, refused: number, rowsAdded: number): void => {
  const { load, stages, backlogs } = windows;
  const sum = (pick: (stage: HttpStage) => number) => stages.reduce((total, stage) => total + pick(stage), 0);
  const durationS = sum((stage) => stage.load.durationS);
  const requests = sum((stage) => stage.load.statusCodes['200'] ?? 0);
  const rate = (requests * plan.batchEvents) / durationS;
  const p99 = Math.max(...stages.map((stage) => stage.load.latencyMs.p99));
  const failures = failureNote({
    ...(stages[0] as HttpStage).load,
    non2xx: sum((stage) => stage.load.non2xx),
    errors: sum((stage) => stage.load.errors),
  });
  const perWindow = stages.map((stage) =>
    formatInt(((stage.load.statusCodes['200'] ?? 0) * plan.batchEvents) / stage.load.durationS),
  );
  bench.log.add({
    id: load.id,
    what: load.what,
    value: rate,
    unit: 'events/s',
    figure: `${formatInt(rate)} events/s (${formatInt(requests / durationS)} req/s; windows ${perWindow.join(', ')}; p99 up to ${p99} ms${failures}${refused ? `, ${formatInt(refused)} events refused` : ''})`,
    details: {
      windows: stages,
      backlogs,
      acceptedEvents: requests * plan.batchEvents,
      rowsAdded,
      failedEventsAdded: refused,
    },
  });
};

/**
 * P2-seg and P2-browser together, on P2's service right after it, with P2's connections: each probed and warmed
 * up, then measured in alternating windows, A B B A, of half `plan.durationS` each, so that the two share the
 * machine's drift (a drain, a neighbour's burst) instead of one getting the quiet ten seconds and the other the
 * noisy ones. Each window is followed by the wait for its backlog, as P2's is. Each row is the events accepted per
 * second over its two windows; a load whose probe fails is recorded as n/a and the other measured alone.
 */
export const measureSegmentLoads = async (
  loads: SegmentLoad[],
  server: OfflineProcess,
  bench: Bench,
): Promise<void> => {
  const { database, log } = bench;
  const ready: Windows[] = [];
  for (const load of loads) {
    const bodies = load.bodies(BODIES, plan.batchEvents);
    const probe = await timeOneRequest(server, load.id, load.path, bodies[0] as string, load.contentType);
    if (probe.status !== 200) {
      const reason = probe.status === 404 ? 'endpoint missing' : `probe answered ${probe.status}`;
      const details = { probeStatus: probe.status, probeBody: probe.text.slice(0, 500) };
      log.add({ id: load.id, what: load.what, value: null, unit: 'events/s', figure: `n/a (${reason})`, details });
      continue;
    }
    const { path, ...options } = request(load, bodies);
    const steady = { durationS: plan.maxWarmupS, steadyAfterS: plan.warmupS };
    await runHttpStage(server, {
      ...options,
      ...steady,
      url: `${server.baseUrl}${path}`,
      connections: plan.connections,
      label: `${load.id} warm-up`,
    });
    ready.push({ load, bodies, stages: [], backlogs: [] });
  }
  await waitForBacklog(bench, plan.backlogTimeoutMs);
  const [rowsBefore, failedBefore] = [await database.countRows(), await database.countRows('failed_events')];
  const windowS = plan.durationS / 2;
  for (const windows of [...ready, ...[...ready].reverse()]) await runWindow(windows, server, bench, windowS);
  // What was refused and stored is told for the pair: the rows of both loads, the refusals of both.
  const refused = (await database.countRows('failed_events')) - failedBefore;
  const rowsAdded = (await database.countRows()) - rowsBefore;
  for (const windows of ready) record(windows, bench, refused, rowsAdded);
};

/** P2-seg: POST /v1/batch as the Node SDKs send it (JSON). */
export const segmentBatchLoad: SegmentLoad = {
  id: 'P2-seg',
  what: `POST /v1/batch (Segment), ${plan.batchEvents} events per request`,
  path: '/v1/batch',
  contentType: 'application/json',
  bodies: segmentBatchBodies,
};

/** P2-browser: POST /v1/b as Segment's browser SDK sends its batches (text/plain, the key in the body). */
export const browserBatchLoad: SegmentLoad = {
  id: 'P2-browser',
  what: `POST /v1/b (analytics.js 2.0 batches), ${plan.batchEvents} events per request`,
  path: '/v1/b',
  contentType: 'text/plain',
  bodies: browserBatchBodies,
};
