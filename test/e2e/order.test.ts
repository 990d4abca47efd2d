import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../lib/rabbitmq/shards.js';
import { eventually } from '../../tools/services.js';
import { useOfflineStack } from '../support/offline-stack.js';

const SHARDS = 3;
const USERS = 12;
const EVENTS_PER_USER = 25;

describe('per-user order with 3 shards (serverless offline, one poller per shard)', () => {
  const stack = useOfflineStack('order', { config: { RABBITMQ_SHARDS: String(SHARDS) } });

  /** One user's events, each sent once the previous one was answered 202. */
  const sendInOrder = async (userId: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let seq = 0; seq < EVENTS_PER_USER; seq += 1) {
      const event = {
        event_id: randomUUID(),
        user_id: userId,
        event_type: 'step',
        timestamp: new Date().toISOString(),
      };
      const response = await stack.offline.post('/api/v1/events/track', { ...event, metadata: { seq } });
      expect(response.status).toBe(202);
      ids.push(event.event_id);
    }
    return ids;
  };

  it('stores each user’s events in the order they were accepted (increasing row id), whatever the shard', async () => {
    const users = Array.from({ length: USERS }, (_, i) => 1000 + i);
    expect(new Set(users.map((user) => shardOf(String(user), SHARDS))).size).toBe(SHARDS);
    const consuming = async () => (await stack.broker.consumersOfEach(stack.config)).join();
    expect(await eventually(async () => (await consuming()) === '1,1,1' && '1,1,1', 10_000)).toBe('1,1,1');

    const sent = await Promise.all(users.map(sendInOrder));
    const total = USERS * EVENTS_PER_USER;
    await eventually(async () => (await stack.database.countRows()) === total, 20_000, 100);

    expect(await stack.database.countRows()).toBe(total);
    for (const [index, userId] of users.entries()) {
      const rows = await stack.database.rows<{ event_id: string }>(
        'SELECT event_id FROM user_activities WHERE user_id = ? ORDER BY id',
        [userId],
      );
      expect(rows.map((row) => row.event_id)).toEqual(sent[index]);
    }
  });
});
