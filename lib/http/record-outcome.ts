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
    if (kind === 'single') {
      if (statusCode === 202) metrics.addMetric('EventsAccepted', MetricUnit.Count, 1);
      const reason = REASONS[statusCode];
      if (reason) countRejected(reason);
      return;
    }
    if (statusCode === 202 || statusCode === 207 || statusCode === 400 || statusCode === 503) {
      const { accepted, rejected } = countsOf(body);
      if (accepted) metrics.addMetric('EventsAccepted', MetricUnit.Count, accepted);
      if (rejected) countRejected('validation', rejected);
      if (statusCode !== 400 || rejected !== undefined) return;
    }
    const reason = REASONS[statusCode];
    if (reason) countRejected(reason);
  };
  return { after: record, onError: record };
};
