import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { queuedMessages, waitForBacklog } from '../support/backlog.js';
import { eventRateFigure, formatInt } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
import { segmentBatchBodies } from '../support/payloads.js';
import type { Bench } from '../types.js';

const SEGMENT_BATCH_PATH = '/v1/batch';

/** Bodies the connections cycle through (their messageIds are made fresh on every request: see payloads.ts). */
const BODIES = 20;

/**
 * P2-seg: P2's load (same service, connections and duration, right after it) on the Segment-compatible
 * POST /v1/batch with `plan.batchEvents` track calls per request; each 200 counts as that many events accepted.
 * Then the wait for its backlog, as P2's, with the rows it added and the events refused (failed_events).
 */
export const measureSegmentBatch = async (server: OfflineProcess, bench: Bench): Promise<void> => {
  const { database, log } = bench;
  const [id, unit] = ['P2-seg', 'events/s'];
  const what = `POST /v1/batch (Segment), ${plan.batchEvents} events per request`;
  const bodies = segmentBatchBodies(BODIES, plan.batchEvents);
  const [rowsBefore, failedBefore] = [await database.countRows(), await database.countRows('failed_events')];
  const probe = await timeOneRequest(server, id, SEGMENT_BATCH_PATH, bodies[0] as string);
  if (probe.status !== 200) {
    const reason = probe.status === 404 ? 'endpoint missing' : `probe answered ${probe.status}`;
    const details = { probeStatus: probe.status, probeBody: probe.text.slice(0, 500) };
    return log.add({ id, what, value: null, unit, figure: `n/a (${reason})`, details });
  }
  const { warmup, stage } = await warmThenMeasure(server, {
    label: id,
    path: SEGMENT_BATCH_PATH,
    body: bodies,
    uniqueIds: true,
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
