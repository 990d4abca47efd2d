import type { Config } from '../config.js';
import type { QueueDepth, QueueInspector } from '../ports.js';
import type { ConfirmChannelSource } from './confirm-channel.js';
import { queuePairs } from './topology.js';

/**
 * Depths from the broker itself (a passive declare of each queue), so they are what RabbitMQ counts, locally and on
 * Amazon MQ alike. The link declares every shard's queues when it opens, so none is missing unless deleted since.
 */
export const createQueueInspector = (source: ConfirmChannelSource, config: Config): QueueInspector => ({
  async inspectQueues() {
    const { channel } = await source.getLink();
    const depth = async (name: string): Promise<QueueDepth> => {
      const { messageCount, consumerCount } = await channel.checkQueue(name);
      return { name, messages: messageCount, consumers: consumerCount };
    };
    const pairs = queuePairs(config);
    const [queues, deadLetters] = await Promise.all([
      Promise.all(pairs.map((pair) => depth(pair.queue))),
      Promise.all(pairs.map((pair) => depth(pair.deadLetterQueue))),
    ]);
    return { queues, deadLetters };
  },
});
