import { shardQueueNames } from '../lib/rabbitmq/shards.js';
import type { DeploySettings } from './settings.js';

/** One `rabbitmq` event of serverless.yml: osls makes it an event source mapping, the local poller a consumer. */
export interface RabbitMqEvent {
  rabbitmq: {
    arn: string;
    basicAuthArn: string;
    queue: string;
    virtualHost: string;
    batchSize: number;
    maximumBatchingWindow?: number;
  };
}

/**
 * persist's events: one per shard queue. Lambda runs one invocation at a time per Amazon MQ mapping, so N queues
 * with a mapping each are what lets N batches be stored at once.
 */
export const persistEvents = (settings: DeploySettings): RabbitMqEvent[] =>
  shardQueueNames(settings.queue, settings.shards).map((queue) => ({
    rabbitmq: {
      arn: settings.brokerArn,
      basicAuthArn: settings.secretArn,
      queue,
      virtualHost: settings.virtualHost,
      batchSize: settings.batchSize,
      // Left out when unset: Lambda's 500 ms default cannot be written, the property takes whole seconds.
      ...(settings.batchingWindowSeconds === undefined
        ? {}
        : { maximumBatchingWindow: settings.batchingWindowSeconds }),
    },
  }));
