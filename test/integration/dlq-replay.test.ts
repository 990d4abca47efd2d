import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../../lib/rabbitmq/replay-dead-letters.js';
import { assertTopology } from '../../lib/rabbitmq/topology.js';
import { runConfig } from '../../tools/run-config.js';
import { Broker, eventually } from '../../tools/services.js';
import { activityMessage } from '../factories.js';

describe('dead-letter replay (real broker)', () => {
  const config = runConfig('dlq');
  let broker: Broker;
  const messages = [activityMessage(), activityMessage(), activityMessage()];

  beforeAll(async () => {
    broker = await Broker.open(config);
    await assertTopology(broker.channel, config);
    for (const message of messages) {
      broker.channel.sendToQueue(config.deadLetterQueueName, Buffer.from(JSON.stringify(message)), {
        persistent: true,
        messageId: message.event_id,
        headers: { 'x-death': [{ reason: 'delivery_limit' }] },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  afterAll(async () => {
    await broker.deleteQueues(config);
    await broker.close();
  });

  it('counts without moving anything on a dry run', async () => {
    expect(await replayDeadLetters(config, { dryRun: true })).toEqual({ found: 3, moved: 0 });
    expect(await broker.count(config.deadLetterQueueName)).toBe(3);
  });

  it('moves at most --limit messages', async () => {
    expect(await replayDeadLetters(config, { limit: 1 })).toEqual({ found: 3, moved: 1 });
    // A quorum queue's count settles a moment after the ack.
    expect(await eventually(async () => (await broker.count(config.deadLetterQueueName)) === 2, 3000)).toBe(true);
  });

  it('moves the rest back to the main queue with their ids, reporting progress', async () => {
    const progress: string[] = [];

    const result = await replayDeadLetters(config, {
      onProgress: (moved, total) => progress.push(`${moved}/${total}`),
    });

    expect(result).toEqual({ found: 2, moved: 2 });
    expect(progress).toEqual(['1/2', '2/2']);
    const moved = await broker.drain(config.queueName);
    expect(moved.map((m) => m.properties.messageId).sort()).toEqual(messages.map((m) => m.event_id).sort());
    expect(moved.every((m) => m.properties.headers?.['x-death'] === undefined)).toBe(true);
    expect(await broker.count(config.deadLetterQueueName)).toBe(0);
  });
});
