import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { queuedMessages, waitForBacklog } from '../support/backlog.js';
import { formatInt, rateFigure } from '../support/figures.js';
import { runHttpStage, timeOneRequest } from '../support/http-stage.js';
import { trackBodies, trackBody } from '../support/payloads.js';
import type { Bench } from '../types.js';
import { TRACK_PATH } from './p1-track.js';

/**
 * P1-drain: P1's load (same connections and duration) on a service started on a backlog of `plan.drainMessages`
 * (P3's preload), from the moment it answers, while its pollers drain that backlog. The figure says how much backlog
 * was left when the load ended; none means the drain ended first.
 */
export const measureTrackDuringDrain = async (server: OfflineProcess, bench: Bench): Promise<void> => {
  const id = 'P1-drain';
  const { log } = bench;
  // The first request loads track's code; the load starts once it has been answered, as P1's does after its warm-up.
  const coldStart = await timeOneRequest(server, id, TRACK_PATH, trackBody);
  const backlogAtStart = await queuedMessages(bench);
  const stage = await runHttpStage(server, {
    label: id,
    url: `${server.baseUrl}${TRACK_PATH}`,
    body: trackBodies,
    connections: plan.connections,
    durationS: plan.durationS,
  });
  const backlogAtEnd = await queuedMessages(bench);
  const { load } = stage;
  log.add({
    id,
    what: `POST /track as P1 while ${formatInt(plan.drainMessages)} queued messages drain`,
    value: load.okPerSecond,
    unit: 'req/s',
    figure: `${rateFigure(load)}; backlog ${formatInt(backlogAtStart)} -> ${formatInt(backlogAtEnd)}`,
    details: {
      ...stage,
      coldStart,
      backlogAtStart,
      backlogAtEnd,
      backlog: await waitForBacklog(bench, plan.backlogTimeoutMs),
    },
  });
};
