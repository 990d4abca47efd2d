import { type ConfirmChannel, connect, type GetMessage } from 'amqplib';
import type { Config } from '../config.js';
import { assertTopology, type QueuePair, queuePairs } from './topology.js';

export interface ReplayOptions {
  dryRun?: boolean;
  /** Move at most this many (default: what the DLQ holds when the replay starts). */
  limit?: number;
  onProgress?: (moved: number, total: number) => void;
}

export interface ReplayResult {
  found: number;
  moved: number;
}

const WINDOW = 200;
const DEAD_LETTER_HEADERS = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-delivery-count',
];

const republish = (channel: ConfirmChannel, queue: string, message: GetMessage): Promise<void> => {
  // Not the DLQ's bookkeeping: the copy starts a fresh delivery count on the main queue.
  const headers = { ...message.properties.headers };
  for (const key of DEAD_LETTER_HEADERS) delete headers[key];
  return new Promise((resolve, reject) => {
    channel.publish(
      '',
      queue,
      message.content,
      { ...message.properties, headers, persistent: true, mandatory: true },
      (error) => (error ? reject(error) : resolve()),
    );
  });
};

/** Moves up to `budget` messages from one DLQ back to its queue, calling `onMoved` as each copy is confirmed. */
const replayPair = async (
  channel: ConfirmChannel,
  { queue, deadLetterQueue }: QueuePair,
  budget: number,
  onMoved: () => void,
): Promise<void> => {
  const inFlight = new Set<Promise<void>>();
  // basic.get, not a consumer: the replay takes exactly what it moves and never has to hand messages back.
  for (let taken = 0; taken < budget; taken += 1) {
    const message = await channel.get(deadLetterQueue, { noAck: false });
    if (!message) break;
    const copied = republish(channel, queue, message).then(() => {
      channel.ack(message);
      onMoved();
    });
    inFlight.add(copied);
    void copied.finally(() => inFlight.delete(copied)).catch(() => undefined);
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
};

/**
 * Moves dead-lettered messages back to the queue they came from (each shard has its own DLQ) once their cause is
 * fixed. Each message is acked on the DLQ only after the broker has confirmed its copy on the main queue, so an
 * interruption at any point loses nothing (at worst a message is in both queues, and persist stores an event_id
 * once). Stops after the messages present at the start, so a message that fails again cannot make it loop.
 */
export const replayDeadLetters = async (config: Config, options: ReplayOptions = {}): Promise<ReplayResult> => {
  const connection = await connect(config.rabbitmqUrl, { clientProperties: { connection_name: 'dlq-replay' } });
  try {
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel, config);
    const pairs = queuePairs(config);
    const counts = await Promise.all(
      pairs.map(async (pair) => (await channel.checkQueue(pair.deadLetterQueue)).messageCount),
    );
    const found = counts.reduce((sum, n) => sum + n, 0);
    const total = Math.min(found, options.limit ?? found);
    if (options.dryRun || total === 0) return { found, moved: 0 };

    let moved = 0;
    for (const [index, pair] of pairs.entries()) {
      const budget = Math.min(counts[index] ?? 0, total - moved);
      if (budget === 0) continue;
      await replayPair(channel, pair, budget, () => {
        moved += 1;
        options.onProgress?.(moved, total);
      });
    }
    // Close the channel before the connection: on RabbitMQ 3.10 an ack followed at once by a connection close can
    // be overtaken by the close, and the quorum queue then hands the message back.
    await channel.close();
    return { found, moved };
  } finally {
    await connection.close().catch(() => undefined);
  }
};
