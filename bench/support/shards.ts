import type { Config } from '../../lib/config.js';

/** The run's configuration with the events spread over `shards` queues: the same base queue name and database. */
export const withShards = (config: Config, shards: number): Config => ({
  ...config,
  rabbitmqShards: shards,
  consumedShards: shards,
});

/**
 * At the configuration's shard count: a scenario's id (`P3`, or `P3-N4`), how its description ends, and the suffix
 * of its service's log file.
 */
export const shardedId = (id: string, { rabbitmqShards: n }: Config) =>
  n > 1 ? { id: `${id}-N${n}`, over: `, ${n} shards`, name: `-n${n}` } : { id, over: '', name: '' };
