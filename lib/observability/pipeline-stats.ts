import type { QueueDepth, QueueInspector, StatsReader, StoredStats } from '../ports.js';
import { withTimeout } from '../runtime/with-timeout.js';
import { describeError, logger } from './logger.js';

const SOURCE_TIMEOUT_MS = 2000;

/** The pipeline's state, read from the broker and the database; a source that does not answer is `unavailable`. */
export interface PipelineStats {
  /** The event queues, one per shard (the first is RABBITMQ_QUEUE); null when the broker did not answer. */
  queues: QueueDepth[] | null;
  deadLetters: QueueDepth[] | null;
  stored: StoredStats | null;
  unavailable: Array<'rabbitmq' | 'mysql'>;
}

export interface StatsSources {
  inspector: QueueInspector;
  reader: StatsReader;
}

const settle = async <T>(source: 'rabbitmq' | 'mysql', read: () => Promise<T>): Promise<T | null> => {
  try {
    return await withTimeout(read(), SOURCE_TIMEOUT_MS, () => new Error(`${source} did not answer within 2 s`));
  } catch (error) {
    logger.warn('pipeline stats: a source did not answer', { source, ...describeError(error) });
    return null;
  }
};

/** Stateless: everything comes from RabbitMQ and the database, so it reads the same on AWS as locally. */
export const readPipelineStats = async ({ inspector, reader }: StatsSources): Promise<PipelineStats> => {
  const [queues, stored] = await Promise.all([
    settle('rabbitmq', () => inspector.inspectQueues()),
    settle('mysql', () => reader.readStoredStats()),
  ]);
  const unavailable: PipelineStats['unavailable'] = [];
  if (!queues) unavailable.push('rabbitmq');
  if (!stored) unavailable.push('mysql');
  return { queues: queues?.queues ?? null, deadLetters: queues?.deadLetters ?? null, stored, unavailable };
};
