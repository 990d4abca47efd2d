import type { Channel } from 'amqplib';
import type { Config } from '../config.js';
import { shardQueueNames } from './shards.js';

/** A queue and the dead-letter queue its undeliverable messages go to. */
export interface QueuePair {
  queue: string;
  deadLetterQueue: string;
}

/**
 * The queues events travel: one per shard (RABBITMQ_SHARDS), and any shard still being drained after N was lowered
 * (RABBITMQ_CONSUMED_SHARDS), each with a dead-letter queue of its own.
 */
export const queuePairs = (config: Config): QueuePair[] =>
  shardQueueNames(config.queueName, Math.max(config.rabbitmqShards, config.consumedShards)).map((queue) => ({
    queue,
    deadLetterQueue: `${queue}.dlq`,
  }));

/**
 * The queue topology, declared identically by track, the poller and the health check. A quorum queue counts
 * deliveries, and after `x-delivery-limit` it dead-letters the message to the DLQ instead of redelivering it
 * forever (RabbitMQ 3.10 has no default limit). Declaring the same arguments twice is a no-op.
 * https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling
 */
export const assertTopology = async (channel: Channel, config: Config): Promise<void> => {
  for (const { queue, deadLetterQueue } of queuePairs(config)) {
    await channel.assertQueue(deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': config.deliveryLimit,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': deadLetterQueue,
      },
    });
  }
};
