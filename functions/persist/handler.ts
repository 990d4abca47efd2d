import middy from '@middy/core';
import type { ActivityStore } from '../../lib/ports.js';
import type { RmqEvent } from '../../lib/rabbitmq/rmq-event.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getActivityStore } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { decodeMessages } from './decode-messages.js';
import { storeBatch } from './store-batch.js';

/**
 * Stores one aws:rmq batch. Poison messages are recorded in failed_events and the rest still land; any other error
 * (database unreachable, an event the database refuses) is thrown, so the whole batch is redelivered, as Lambda's
 * RabbitMQ mapping does; the queue's delivery limit dead-letters what never succeeds.
 */
export const createPersistHandler = ({ store, maxMessageBytes }: { store: ActivityStore; maxMessageBytes: number }) => {
  const persistActivities = async (event: RmqEvent) => {
    const { valid, failed } = decodeMessages(event, maxMessageBytes);
    if (failed.length > 0) console.warn(`persist: ${failed.length} message(s) recorded in failed_events`);
    await store.insertFailedEvents(failed);
    await storeBatch(store, valid);
    return { stored: valid.length, failed: failed.length };
  };
  return middy<RmqEvent>(persistActivities);
};

// A queued message wraps a body of at most maxBodyBytes plus the fields track adds.
export const handler = createPersistHandler({
  store: getActivityStore(),
  maxMessageBytes: getConfig().maxBodyBytes * 2,
}).use(releaseAfterLocalInvoke());
