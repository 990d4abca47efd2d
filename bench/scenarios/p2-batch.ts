import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { queuedMessages, waitForBacklog } from '../support/backlog.js';
import { eventRateFigure } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
import { batchBody } from '../support/payloads.js';
import type { Bench } from '../types.js';

const BATCH_PATH = '/api/v1/events/batch';

/**
 * P2: closed-loop POST /api/v1/events/batch with `plan.batchEvents` events each; counts the events accepted. Then
 * the wait for its backlog, so that P2-seg, next on the same service, starts from empty queues as P2 did.
 */
export const measureBatch = async (
  server: OfflineProcess,
  bench: Bench,
  { id, what: about }: { id: string; what?: string } = { id: 'P2' },
): Promise<void> => {
  const { log } = bench;
  const [what, unit] = [`POST /batch, ${plan.batchEvents} events per request${about ?? ''}`, 'events/s'];
  const body = batchBody(plan.batchEvents);
  const probe = await timeOneRequest(server, id, BATCH_PATH, body);
  if (probe.status !== 202) {
    const reason = probe.status === 404 ? 'endpoint missing' : `probe answered ${probe.status}`;
    const details = {
      probeStatus: probe.status,
      ...(probe.status === 404 ? {} : { probeBody: probe.text.slice(0, 500) }),
    };
    return log.add({ id, what, value: null, unit, figure: `n/a (${reason})`, details });
  }
  let accepted = 0;
  const onResponse = (status: number, text: string) => {
    const match = status < 300 ? /"accepted":(\d+)/.exec(text) : null;
    if (match) accepted += Number(match[1]);
  };
  const batch = { label: id, path: BATCH_PATH, body, onResponse };
  const { warmup, stage } = await warmThenMeasure(server, batch, () => (accepted = 0));
  const { load } = stage;
  const rate = accepted / load.durationS;
  const queuedAfter = await queuedMessages(bench);
  const backlog = await waitForBacklog(bench, plan.backlogTimeoutMs);
  const details = { ...stage, warmupS: warmup.load.durationS, acceptedEvents: accepted, queuedAfter, backlog };
  log.add({ id, what, value: rate, unit, figure: eventRateFigure(rate, load), details });
};
