import { plan } from '../plan.js';
import { formatCpu } from '../support/cpu-meter.js';
import { runHttpStage, warmUp } from '../support/http-stage.js';
import { failureNote } from '../support/load.js';
import type { OfflineServer } from '../support/offline-server.js';
import { batchBody, jsonHeaders } from '../support/payloads.js';
import { formatInt, progress } from '../support/progress.js';
import type { BenchServices } from '../support/services.js';
import type { Measurement } from '../types.js';

const BATCH_PATH = '/api/v1/events/batch';

const notMeasured = (reason: string, details: Record<string, unknown>): Measurement => ({
  id: 'P2',
  what: `POST /batch, ${plan.batchEvents} events per request`,
  value: null,
  unit: 'events/s',
  figure: `n/a (${reason})`,
  details,
});

/** P2: closed-loop POST /api/v1/events/batch with `plan.batchEvents` events each; counts the events accepted. */
export const measureBatch = async (server: OfflineServer, services: BenchServices): Promise<Measurement> => {
  const url = `${server.baseUrl}${BATCH_PATH}`;
  const body = batchBody(plan.batchEvents);
  const probe = await fetch(url, { method: 'POST', headers: jsonHeaders, body });
  const probeBody = await probe.text();
  if (probe.status === 404) return notMeasured('endpoint missing', { probeStatus: 404 });
  if (probe.status !== 202) {
    return notMeasured(`probe answered ${probe.status}`, { probeStatus: probe.status, probeBody: probeBody.slice(0, 500) });
  }

  let accepted = 0;
  const countAccepted = (status: number, text: string) => {
    const match = status < 300 ? /"accepted":(\d+)/.exec(text) : null;
    if (match) accepted += Number(match[1]);
  };
  const options = { url, body, connections: plan.connections, onResponse: countAccepted };
  const warmup = await warmUp(server, { ...options, label: 'P2 warm-up' });
  accepted = 0;
  const stage = await runHttpStage(server, { ...options, label: 'P2', durationS: plan.durationS });
  const rate = accepted / stage.load.durationS;
  const queuedAfter = await services.queueDepth();
  progress(`  P2: CPU cores used: ${formatCpu(stage.cpuCores)}; ${formatInt(queuedAfter)} messages still queued`);
  return {
    id: 'P2',
    what: `POST /batch, ${plan.batchEvents} events per request`,
    value: rate,
    unit: 'events/s',
    figure: `${formatInt(rate)} events/s (${formatInt(stage.load.okPerSecond)} req/s, p99 ${stage.load.latencyMs.p99} ms${failureNote(stage.load)})`,
    details: { ...stage, warmupS: warmup.load.durationS, acceptedEvents: accepted, queuedAfter },
  };
};
