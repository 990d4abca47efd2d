import type { ActivityMessage } from '../activity/activity-schema.js';

/**
 * Events are spread over N queues (`RABBITMQ_SHARDS`) by a stable hash of the user's identity, so one user's events
 * always travel one queue, in order, while N consumers store different users' events in parallel. Shard 0 keeps the
 * base name, so N = 1 is the single queue other producers already publish to.
 */
export const shardQueueNames = (baseQueue: string, shards: number): string[] =>
  Array.from({ length: shards }, (_, shard) => (shard === 0 ? baseQueue : `${baseQueue}.${shard}`));

/** FNV-1a (32 bit): stable across processes, runtimes and versions, unlike anything keyed by memory. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

/** The shard (0..shards-1) of a user identity. */
export const shardOf = (userKey: string, shards: number): number => (shards <= 1 ? 0 : fnv1a(userKey) % shards);

/**
 * The identity a message is sharded by: the Segment userId when there is one (a numeric userId "42" is also user_id
 * 42, so both APIs put user 42 on one shard), else the native user_id, else the anonymousId.
 */
export const shardKeyOf = (message: Pick<ActivityMessage, 'user_id' | 'user_key' | 'anonymous_id'>): string =>
  message.user_key ?? (message.user_id > 0 ? String(message.user_id) : (message.anonymous_id ?? ''));
