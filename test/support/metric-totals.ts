import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushMetrics } from '../../lib/observability/metrics.js';

/**
 * Runs `act`, flushes the metrics it recorded to a file, and sums them by name (and `reason`, for EventsRejected):
 * `{ EventsAccepted: 3, 'EventsRejected{validation}': 1 }`. Metrics recorded before are flushed away first.
 */
export const metricTotals = async (act: () => Promise<unknown>): Promise<Record<string, number>> => {
  flushMetrics({ kind: 'off' });
  await act();
  const path = join(mkdtempSync(join(tmpdir(), 'uat-metrics-')), 'metrics.jsonl');
  flushMetrics({ kind: 'file', path });
  const totals: Record<string, number> = {};
  const text = (() => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return ''; // nothing was recorded
    }
  })();
  for (const line of text ? text.split('\n') : []) {
    const emf = JSON.parse(line) as Record<string, unknown>;
    for (const name of ['EventsAccepted', 'EventsRejected', 'PublishFailures']) {
      // A metric recorded several times in one set is an array of values in EMF.
      const values = ([] as unknown[]).concat(emf[name] ?? []) as number[];
      if (values.length === 0) continue;
      const key = emf.reason ? `${name}{${emf.reason}}` : name;
      totals[key] = (totals[key] ?? 0) + values.reduce((sum, value) => sum + value, 0);
    }
  }
  return totals;
};
