import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flushMetrics } from '../observability/metrics.js';
import { recordOutcome } from './record-outcome.js';

/** Runs the middleware on the answers, flushes the metrics to a file and sums them by name and reason. */
const totalsAfter = (kind: 'single' | 'batch', answers: Array<{ statusCode: number; body?: unknown }>) => {
  const path = join(mkdtempSync(join(tmpdir(), 'uat-outcome-')), 'metrics.jsonl');
  const { after } = recordOutcome(kind);
  for (const { statusCode, body } of answers) {
    after?.({ response: { statusCode, body: JSON.stringify(body ?? {}) } } as never);
  }
  flushMetrics({ kind: 'file', path });
  const totals: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').trim().split('\n')) {
    const emf = JSON.parse(line) as Record<string, unknown>;
    for (const name of ['EventsAccepted', 'EventsRejected']) {
      // A metric recorded several times in one invocation is an array of values in EMF.
      const values = ([] as unknown[]).concat(emf[name] ?? []) as number[];
      if (values.length === 0) continue;
      const key = emf.reason ? `${name}{${emf.reason}}` : name;
      totals[key] = (totals[key] ?? 0) + values.reduce((sum, value) => sum + value, 0);
    }
  }
  return totals;
};

describe('counting what a write endpoint answered', () => {
  it('counts one event per answer of track, and a refusal by its reason', () => {
    expect(
      totalsAfter('single', [
        { statusCode: 202 },
        { statusCode: 202 },
        { statusCode: 400 },
        { statusCode: 401 },
        { statusCode: 413 },
        { statusCode: 415 },
        { statusCode: 503 },
      ]),
    ).toEqual({
      EventsAccepted: 2,
      'EventsRejected{validation}': 1,
      'EventsRejected{auth}': 1,
      'EventsRejected{size}': 1,
      'EventsRejected{media_type}': 1,
    });
  });

  it('counts a batch by its per-event counts, and a batch refused as a whole once', () => {
    expect(
      totalsAfter('batch', [
        { statusCode: 207, body: { accepted: 3, rejected: 1, failed: 0 } },
        { statusCode: 400, body: { accepted: 0, rejected: 2, failed: 0 } },
        { statusCode: 503, body: { accepted: 0, rejected: 0, failed: 5 } },
        { statusCode: 400, body: { status: 400, message: 'Malformed JSON request body' } },
        { statusCode: 413, body: { status: 413 } },
      ]),
    ).toEqual({ EventsAccepted: 3, 'EventsRejected{validation}': 4, 'EventsRejected{size}': 1 });
  });
});
