import type { FailedEvent } from '../ports.js';
import { describeError, isDebugEnabled, logger } from './logger.js';
import { MetricUnit, metrics } from './metrics.js';

/**
 * What the pipeline tells its operators, as log lines and metrics together, so the two always agree. Every
 * warning or error names the event ids it concerns; the invocation's keys (observe.ts) name the request or batch.
 */

/** DEBUG: one line per accepted event. */
export const noteAccepted = (eventIds: string[]): void => {
  if (!isDebugEnabled()) return;
  for (const eventId of eventIds) logger.debug('event accepted', { event_id: eventId });
};

/** WARN: the broker did not confirm these events; the client was told to retry (503, or "failed" in a batch). */
export const notePublishFailed = (eventIds: string[], error: unknown): void => {
  metrics.addMetric('PublishFailures', MetricUnit.Count, eventIds.length);
  logger.warn('events not confirmed by the broker; the client may retry them', {
    event_ids: eventIds,
    ...describeError(error),
  });
};

/** WARN: one line per message that can never be stored (it is kept in failed_events). */
export const notePoison = (failed: FailedEvent[]): void => {
  for (const event of failed) {
    logger.warn('poison message recorded in failed_events', {
      event_id: event.eventId,
      message_id: event.messageId,
      reason: event.reason,
    });
  }
};

/** WARN: one line per call of a Segment batch that can never be stored; it is kept in failed_events, the rest stored. */
export const noteUnusable = (failed: FailedEvent[]): void => {
  for (const event of failed) {
    logger.warn('unusable event recorded in failed_events', { message_id: event.messageId, reason: event.reason });
  }
};

export interface BatchStored {
  size: number;
  stored: number;
  duplicates: number;
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
  metrics.addMetric('PoisonMessages', MetricUnit.Count, batch.poison);
  metrics.addMetric('PersistBatchSize', MetricUnit.Count, batch.size);
  metrics.addMetric('PersistBatchDuration', MetricUnit.Milliseconds, batch.durationMs);
  if (batch.lagMs !== undefined) metrics.addMetric('EventLag', MetricUnit.Milliseconds, batch.lagMs);
  const { eventIds, ...figures } = batch;
  logger.info('batch stored', {
    size: figures.size,
    stored: figures.stored,
    duplicates: figures.duplicates,
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
