import type { IntakeOutcome } from '../intake/intake.js';
import type { FailedEvent } from '../ports.js';
import { loggableId } from './loggable-reason.js';
import { describeError, isDebugEnabled, logger } from './logger.js';
import { countRejected, MetricUnit, metrics } from './metrics.js';

/**
 * What the pipeline tells its operators, as log lines and metrics together, so the two always agree. Every
 * warning or error names the event ids it concerns; the invocation's keys (observe.ts) name the request or batch.
 */

/** WARN: the broker did not confirm these events; the client was told to retry (503, or "failed" in a batch). */
const notePublishFailed = (eventIds: string[], error: unknown): void => {
  metrics.addMetric('PublishFailures', MetricUnit.Count, eventIds.length);
  logger.warn('events not confirmed by the broker; the client may retry them', {
    event_ids: eventIds,
    ...describeError(error),
  });
};

/**
 * What the intake did with one request's items: EventsAccepted and EventsRejected (validation) from its typed
 * outcome; WARN for the events the broker did not confirm (one line) and for each item kept in failed_events; at
 * DEBUG, one line per accepted event.
 */
export const noteIntake = (
  outcome: IntakeOutcome,
  kept: FailedEvent[],
  publishError: unknown,
  suppressed: ReadonlySet<number> = new Set(),
): void => {
  const published = outcome.accepted - outcome.suppressed;
  if (published > 0) metrics.addMetric('EventsAccepted', MetricUnit.Count, published);
  // Counted, never logged: not even their event ids (issue 19).
  if (outcome.suppressed > 0) metrics.addMetric('EventsSuppressed', MetricUnit.Count, outcome.suppressed);
  if (outcome.rejected > 0) countRejected('validation', outcome.rejected);
  if (outcome.failed > 0) {
    const failed = outcome.results.flatMap((r) => (r.status === 'failed' ? [r.event_id] : []));
    notePublishFailed(failed, publishError);
  }
  // By rule and position only (issue 19): the client's message id and key names stay in failed_events.
  for (const event of kept) logger.warn('unusable event recorded in failed_events', { reason: event.loggedReason });
  if (!isDebugEnabled()) return;
  for (const result of outcome.results) {
    if (result.status === 'accepted' && !suppressed.has(result.index)) {
      logger.debug('event accepted', { event_id: result.event_id });
    }
  }
};

/**
 * WARN: one line per message that can never be stored (it is kept in failed_events), naming its event id when it is
 * one (a UUID), never the AMQP message id or other text the producer chose, which may be a person's (issue 19).
 */
export const notePoison = (failed: FailedEvent[]): void => {
  for (const event of failed) {
    logger.warn('poison message recorded in failed_events', {
      event_id: loggableId(event.eventId),
      reason: event.loggedReason,
    });
  }
};

export interface BatchStored {
  size: number;
  stored: number;
  duplicates: number;
  /** Left out because their subject is suppressed (issue 19). */
  suppressed: number;
  poison: number;
  durationMs: number;
  /** Now minus the oldest `received_at` of the batch: how far storage trails acceptance. */
  lagMs: number | undefined;
  eventIds: string[];
}

/** INFO: one line per persist batch, with its size and duration; DEBUG adds one per stored event. */
export const noteBatchStored = (batch: BatchStored): void => {
  metrics.addMetric('EventsStored', MetricUnit.Count, batch.stored);
  metrics.addMetric('DuplicatesIgnored', MetricUnit.Count, batch.duplicates);
  if (batch.suppressed > 0) metrics.addMetric('EventsSuppressed', MetricUnit.Count, batch.suppressed);
  metrics.addMetric('PoisonMessages', MetricUnit.Count, batch.poison);
  metrics.addMetric('PersistBatchSize', MetricUnit.Count, batch.size);
  metrics.addMetric('PersistBatchDuration', MetricUnit.Milliseconds, batch.durationMs);
  if (batch.lagMs !== undefined) metrics.addMetric('EventLag', MetricUnit.Milliseconds, batch.lagMs);
  const { eventIds, ...figures } = batch;
  logger.info('batch stored', {
    size: figures.size,
    stored: figures.stored,
    duplicates: figures.duplicates,
    suppressed: figures.suppressed,
    poison: figures.poison,
    duration_ms: Math.round(figures.durationMs * 10) / 10,
    lag_ms: figures.lagMs,
  });
  if (isDebugEnabled()) for (const eventId of eventIds) logger.debug('event stored', { event_id: eventId });
};

/** ERROR: the batch failed and will be delivered again (or dead-lettered past the delivery limit). */
export const noteBatchFailed = (eventIds: string[], error: unknown): void => {
  logger.error('batch failed; it will be delivered again', { event_ids: eventIds, ...describeError(error) });
};
