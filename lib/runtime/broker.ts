import { getConfig } from '../config.js';
import type { EventPublisher, QueueInspector } from '../ports.js';
import { type ConfirmChannelSource, createConfirmChannelSource } from '../rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from '../rabbitmq/publisher.js';
import { createQueueInspector } from '../rabbitmq/queue-inspector.js';
import { onClose } from './connections.js';

/**
 * The process's broker connection, made on first use and kept across invocations (a warm Lambda or a
 * serverless-offline worker reuses it). Handlers receive its adapters through their factories, so tests can pass
 * others.
 */
let rabbit: ConfirmChannelSource | undefined;

/** The process's broker connection with its confirm channel. */
export const getBrokerLink = (): ConfirmChannelSource => {
  if (!rabbit) {
    const link = createConfirmChannelSource(getConfig(), 'user-activity-track');
    rabbit = link;
    onClose(async () => {
      rabbit = undefined;
      await link.close();
    });
  }
  return rabbit;
};

export const getPublisher = (): EventPublisher => createRabbitPublisher(getBrokerLink(), getConfig());

export const getQueueInspector = (): QueueInspector => createQueueInspector(getBrokerLink(), getConfig());
