import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { queuedMessages, waitForBacklog } from '../support/backlog.js';
import { eventRateFigure, formatInt } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
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

/**
 * P2's load (same service, connections and duration, right after it) on a Segment-format batch endpoint with
 * `plan.batchEvents` track calls per request; each 200 counts as that many events accepted. Then the wait for its
 * backlog, as P2's, with the rows it added and the events refused (failed_events).
 */
export const measureSegmentBatch = async (
  { id, what, path, contentType, bodies: makeBodies }: SegmentLoad,
  server: OfflineProcess,
  bench: Bench,
): Promise<void> => {
  const { database, log } = bench;
  const unit = 'events/s';
  const bodies = makeBodies(BODIES, plan.batchEvents);
  const [rowsBefore, failedBefore] = [await database.countRows(), await database.countRows('failed_events')];
  const probe = await timeOneRequest(server, id, path, bodies[0] as string, contentType);
  if (probe.status !== 200) {
    const reason = probe.status === 404 ? 'endpoint missing' : `probe answered ${probe.status}`;
    const details = { probeStatus: probe.status, probeBody: probe.text.slice(0, 500) };
    return log.add({ id, what, value: null, unit, figure: `n/a (${reason})`, details });
  }
  const { warmup, stage } = await warmThenMeasure(server, {
    label: id,
    path,
    body: bodies,
    uniqueIds: true,
    contentType,
  });
  const { load } = stage;
  const accepted = (load.statusCodes['200'] ?? 0) * plan.batchEvents;
  const rate = accepted / load.durationS;
  const queuedAfter = await queuedMessages(bench);
  const backlog = await waitForBacklog(bench, plan.backlogTimeoutMs);
  const refused = (await database.countRows('failed_events')) - failedBefore;
  const refusedNote = refused ? `, ${formatInt(refused)} events refused` : '';
  log.add({
    id,
    what,
    value: rate,
    unit,
    figure: `${eventRateFigure(rate, load)}${refusedNote}`,
    details: {
      ...stage,
      warmupS: warmup.load.durationS,
      acceptedEvents: accepted,
      queuedAfter,
      backlog,
      rowsAdded: backlog.rows - rowsBefore,
      failedEventsAdded: refused,
    },
  });
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
