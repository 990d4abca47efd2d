import { describe, expect, it } from 'vitest';
import { shardKeyOf, shardOf, shardQueueNames } from './shards.js';

describe('shards', () => {
  it('keeps the base queue as shard 0, so one shard is the single queue other producers publish to', () => {
    expect(shardQueueNames('user_activity_events', 1)).toEqual(['user_activity_events']);
    expect(shardQueueNames('user_activity_events', 3)).toEqual([
      'user_activity_events',
      'user_activity_events.1',
      'user_activity_events.2',
    ]);
  });

  it('puts every user on one shard, the same in every process, and spreads users evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let user = 1; user <= 10_000; user += 1) {
      const shard = shardOf(String(user), 4);
      expect(shardOf(String(user), 4)).toBe(shard);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(2_250);
    // The FNV-1a test vector (32 bit) for "a" is 0xe40c292c: the hash is the published one, not process-dependent.
    expect(shardOf('a', 1_000_003)).toBe(0xe40c292c % 1_000_003);
  });

  it('uses shard 0 for everyone when there is one', () => {
    expect(shardOf('anyone', 1)).toBe(0);
  });

  it('shards by the Segment userId, else the native user_id, else the anonymousId', () => {
    expect(shardKeyOf({ user_id: 42 })).toBe('42');
    // userId "42" is user_id 42 too: both APIs keep user 42 on one shard, in order.
    expect(shardKeyOf({ user_id: 42, user_key: '42' })).toBe(shardKeyOf({ user_id: 42 }));
    expect(shardKeyOf({ user_id: 0, user_key: 'ana@example.com', anonymous_id: 'a-1' })).toBe('ana@example.com');
    expect(shardKeyOf({ user_id: 0, anonymous_id: 'a-1' })).toBe('a-1');
  });
});
