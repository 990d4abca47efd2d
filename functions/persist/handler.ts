// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import middy from '@middy/core';
import { getConfig } from '../../lib/config.js';
import { observe } from '../../lib/observability/observe.js';
import { noteBatchFailed, noteBatchStored, notePoison } from '../../lib/observability/pipeline-log.js';
import type { ActivityStore } from '../../lib/ports.js';
import type { RmqEvent } from '../../lib/rabbitmq/rmq-event.js';
import { getPersistStore } from '../../lib/runtime/database.js';
import { getIntakeSteps } from '../../lib/runtime/intake-steps.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { type DecodeRules, decodeMessages, oldestReceivedAt } from './decode-messages.js';
import { storeBatch } from './store-batch.js';

/**
 * Stores one aws:rmq batch. Poison messages are recorded in failed_events and the rest still land; any other error
 * (database unreachable, an event the database refuses) is thrown, so the whole batch is redelivered, as Lambda's
 * RabbitMQ mapping does; the queue's delivery limit dead-letters what never succeeds.
 */
export const createPersistHandler = ({ store, rules }: { store: ActivityStore; rules: DecodeRules }) => {
  const persistActivities = async (event: RmqEvent) => {
    const started = performance.now();
    const { valid, failed } = decodeMessages(event, rules);
    const eventIds = valid.map((message) => message.event_id);
    try {
      const poison = await store.insertFailedEvents(failed);
      // A redelivered batch's poison messages were logged when they were first recorded.
      if (poison.inserted > 0) notePoison(failed);
      const { inserted, suppressed = [] } = await storeBatch(store, valid);
      const oldest = oldestReceivedAt(valid);
      // A suppressed subject's events are counted, never logged (issue 19).
      const left = new Set(suppressed);
      noteBatchStored({
        size: valid.length + failed.length,
        stored: inserted,
        duplicates: valid.length - inserted - suppressed.length,
        suppressed: suppressed.length,
        poison: poison.inserted,
        durationMs: performance.now() - started,
        lagMs: oldest === undefined ? undefined : Date.now() - oldest,
        eventIds: left.size === 0 ? eventIds : eventIds.filter((id) => !left.has(id)),
      });
    } catch (error) {
      noteBatchFailed(eventIds, error);
      throw error;
    }
    return { stored: valid.length, failed: failed.length };
  };
  return middy<RmqEvent>(persistActivities).use(observe());
};

export const handler = createPersistHandler({
  store: getPersistStore(),
  rules: { maxBytes: getConfig().maxMessageBytes, steps: getIntakeSteps() },
}).use(releaseAfterLocalInvoke());
