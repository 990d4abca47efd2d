import type { MiddlewareObj } from '@middy/core';
import { countRejected, MetricUnit, metrics, type RejectionReason } from '../observability/metrics.js';

const REASONS: Record<number, RejectionReason> = { 400: 'validation', 401: 'auth', 413: 'size', 415: 'media_type' };

interface BatchCounts {
  accepted?: number;
  rejected?: number;
}

const countsOf = (body: unknown): BatchCounts => {
  try {
    return typeof body === 'string' ? (JSON.parse(body) as BatchCounts) : {};
  } catch {
    return {};
  }
};

/**
 * Counts what a write endpoint answered, once the answer (or the error mapped to one) is known: EventsAccepted and
 * EventsRejected by reason. `single` answers for one event; a `batch` answer carries its own counts, and a refusal
 * of the whole request (401, 413, 415, unreadable JSON) counts once. Publish failures are counted where they happen,
 * with their event ids (pipeline-log.ts).
 */
export const recordOutcome = <TEvent>(kind: 'single' | 'batch'): MiddlewareObj<TEvent> => {
  const record = ({ response }: { response: unknown }) => {
    const { statusCode, body } = (response ?? {}) as { statusCode?: number; body?: unknown };
    if (statusCode === undefined) return;
    const counts: BatchCounts = kind === 'batch' ? countsOf(body) : statusCode === 202 ? { accepted: 1 } : {};
    if (counts.accepted) metrics.addMetric('EventsAccepted', MetricUnit.Count, counts.accepted);
    if (counts.rejected) countRejected('validation', counts.rejected);
    const reason = REASONS[statusCode];
    // An answer without per-event counts refused the request as a whole.
    if (counts.rejected === undefined && reason) countRejected(reason);
  };
  return { after: record, onError: record };
};
