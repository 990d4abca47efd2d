import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../lib/config.js';
import { createConfirmChannelSource } from '../../lib/rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from '../../lib/rabbitmq/publisher.js';
import type { RmqEvent } from '../../lib/rabbitmq/rmq-event.js';
import { RabbitMqPoller } from '../../plugins/offline-rabbitmq/poller.js';
import { runConfig } from '../../tools/run-config.js';
import { Broker, eventually } from '../../tools/services.js';
import { activityMessage, toQueuedMessage } from '../factories.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.js';

const quietLog = { info: () => undefined, warn: () => undefined };

/** Records every invocation; fails while `failing` is set, like persist does while the database is down. */
const recorder = () => {
  const state = { events: [] as RmqEvent[], succeeded: 0, concurrent: 0, maxConcurrent: 0, failing: false };
  const invoke = async (event: RmqEvent) => {
    state.concurrent += 1;
    state.maxConcurrent = Math.max(state.maxConcurrent, state.concurrent);
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.concurrent -= 1;
    state.events.push(event);
    if (state.failing) throw new Error('database unreachable');
    state.succeeded += 1;
  };
  return { state, invoke };
};

// A quorum queue applies acks through Raft, so its counts settle a moment after the ack is sent.
const settledCount = async (broker: Broker, queue: string, expected: number) => {
  await eventually(async () => (await broker.count(queue)) === expected, 3000);
  return broker.count(queue);
};

const messagesOf = (event: RmqEvent) => Object.values(event.rmqMessagesByQueue).flat();
const idsOf = (events: RmqEvent[]) =>
  events.flatMap(messagesOf).map((m) => JSON.parse(Buffer.from(m.data, 'base64').toString()).event_id as string);

describe('offline RabbitMQ poller (real broker)', () => {
  let config: Config;
  let broker: Broker;
  let poller: RabbitMqPoller | undefined;
  let publish: (count: number) => Promise<string[]>;
  let closePublisher: () => Promise<void>;

  const startPoller = async (
    invoke: (event: RmqEvent) => Promise<unknown>,
    batchSize: number,
    batchingWindowMs: number,
    cfg = config,
  ) => {
    poller = new RabbitMqPoller({
      mapping: {
        arn: 'arn:aws:mq:local:0:broker:test',
        queue: cfg.queueName,
        virtualHost: '/',
        batchSize,
        batchingWindowMs,
      },
      config: cfg,
      invoke,
      log: quietLog,
    });
    await poller.start();
  };

  const setUp = async (overrides: Record<string, string> = {}) => {
    config = runConfig('poller', { PERSIST_RETRY_BACKOFF_MAX_MS: '50', ...overrides });
    broker = await Broker.open(config);
    const source = createConfirmChannelSource(config, 'test-poller-publisher');
    const publisher = createRabbitPublisher(source, config);
    publish = async (count) => {
      const messages = Array.from({ length: count }, () => activityMessage());
      await Promise.all(messages.map((m) => publisher.publish(toQueuedMessage(m))));
      return messages.map((m) => m.event_id);
    };
    closePublisher = () => source.close();
  };

  beforeEach(async () => {
    await setUp();
  });

  const tearDown = async () => {
    await poller?.stop();
    poller = undefined;
    await closePublisher();
    await broker.deleteQueues(config).catch(() => undefined);
    await broker.close();
  };

  afterEach(tearDown);

  it('delivers aws:rmq batches of at most batchSize, one at a time, and acks them', async () => {
    const { state, invoke } = recorder();
    const ids = await publish(25);

    await startPoller(invoke, 10, 200);

    await eventually(async () => idsOf(state.events).length === 25);
    expect(idsOf(state.events).sort()).toEqual([...ids].sort());
    expect(Math.max(...state.events.map((e) => messagesOf(e).length))).toBe(10);
    expect(state.maxConcurrent).toBe(1);
    const [first] = state.events;
    expect(first).toMatchObject({ eventSource: 'aws:rmq', eventSourceArn: 'arn:aws:mq:local:0:broker:test' });
    expect(Object.keys(first?.rmqMessagesByQueue ?? {})).toEqual([`${config.queueName}::/`]);
    expect(messagesOf(first!)[0]).toMatchObject({
      redelivered: false,
      basicProperties: { contentType: 'application/json', deliveryMode: 2, messageId: expect.any(String) },
    });
    await poller?.stop();
    expect(await settledCount(broker, config.queueName, 0)).toBe(0);
  });

  it('waits up to the batching window for a batch to fill', async () => {
    const { state, invoke } = recorder();
    await startPoller(invoke, 100, 400);
    await eventually(async () => (await broker.consumers(config.queueName)) === 1, 5000);
    const started = Date.now();

    await publish(3);
    await eventually(async () => state.events.length > 0);

    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(messagesOf(state.events[0]!)).toHaveLength(3);
  });

  it('holds what arrives during a batch until that window is up or a batch is full, not just until the batch ends', async () => {
    const invoked: Array<{ at: number; size: number }> = [];
    const invoke = async (event: RmqEvent) => {
      invoked.push({ at: Date.now(), size: messagesOf(event).length });
      await new Promise((resolve) => setTimeout(resolve, 150));
    };
    await startPoller(invoke, 10, 600);
    await eventually(async () => (await broker.consumers(config.queueName)) === 1, 5000);

    await publish(10); // a full batch: invoked at once, and busy for 150 ms
    await eventually(async () => invoked.length === 1, 3000, 5);
    const trickled = Date.now();
    await publish(3);
    await eventually(async () => invoked.length === 2, 3000, 5);

    expect(invoked.map((i) => i.size)).toEqual([10, 3]);
    // Flushing when the first batch ended would have sent the 3 after about 150 ms.
    expect(invoked[1]!.at - trickled).toBeGreaterThanOrEqual(500);
  });

  it('requeues a failed batch and delivers it again, marked redelivered, until it succeeds', async () => {
    const { state, invoke } = recorder();
    state.failing = true;
    const [id] = await publish(1);
    await startPoller(invoke, 10, 0);

    await eventually(async () => state.events.length >= 2);
    state.failing = false;
    await eventually(async () => state.succeeded === 1);
    await poller?.stop();

    expect(idsOf(state.events).every((x) => x === id)).toBe(true);
    expect(messagesOf(state.events.at(-1)!)[0]?.redelivered).toBe(true);
    expect(await settledCount(broker, config.queueName, 0)).toBe(0);
    expect(await settledCount(broker, config.deadLetterQueueName, 0)).toBe(0);
  });

  it('stores a failed batch after the batch it already holds: the one reordering per-user order can see', async () => {
    const ids = await publish(10); // one user's events, in the order they were accepted
    const invoked: string[][] = [];
    const invoke = async (event: RmqEvent) => {
      invoked.push(idsOf([event]));
      if (invoked.length === 1) throw new Error('database unreachable');
    };

    await startPoller(invoke, 5, 1000);
    await eventually(async () => invoked.length === 3, 5000);

    // The broker hands the failed batch back to the head of the queue, but the next batch was already prefetched.
    expect(invoked).toEqual([ids.slice(0, 5), ids.slice(5), ids.slice(0, 5)]);
  });

  it('dead-letters a batch that fails every time once the delivery limit is reached', async () => {
    await tearDown();
    await setUp({ RABBITMQ_DELIVERY_LIMIT: '2', PERSIST_RETRY_BACKOFF_MAX_MS: '10' });
    const { state, invoke } = recorder();
    state.failing = true;
    const [id] = await publish(1);
    await startPoller(invoke, 10, 0);

    const dead = await eventually(async () => (await broker.count(config.deadLetterQueueName)) === 1, 10_000);
    await poller?.stop();

    expect(dead).toBe(true);
    expect(state.events.length).toBe(3); // the first delivery plus two redeliveries
    const [message] = await broker.drain(config.deadLetterQueueName);
    expect(JSON.parse(message!.content.toString()).event_id).toBe(id);
    expect(await settledCount(broker, config.queueName, 0)).toBe(0);
  });

  it('declares the queue again and resumes when the queue is deleted under it', async () => {
    const { state, invoke } = recorder();
    await startPoller(invoke, 10, 0);
    await publish(2);
    await eventually(async () => idsOf(state.events).length === 2);

    await broker.channel.deleteQueue(config.queueName);
    const queueBack = await eventually(() => broker.exists(config.queueName), 5000);
    // A quorum queue can refuse (nack) a publish for a moment after it is declared: wait for the poller to consume.
    await eventually(async () => (await broker.consumers(config.queueName)) === 1, 5000);
    const later = await publish(3);

    expect(queueBack).toBe(true);
    await eventually(async () => later.every((id) => idsOf(state.events).includes(id)), 5000);
    expect(later.every((id) => idsOf(state.events).includes(id))).toBe(true);
  });

  it('reconnects by itself after the broker link drops, and nothing is lost', async () => {
    const target = new URL(config.rabbitmqUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5672) });
    try {
      const proxied = runConfig('poller', {
        RABBITMQ_URL: viaProxy(config.rabbitmqUrl, proxy),
        RABBITMQ_QUEUE: config.queueName,
      });
      const { state, invoke } = recorder();
      await startPoller(invoke, 10, 0, proxied);
      const before = await publish(5);
      await eventually(async () => idsOf(state.events).length >= 5);

      proxy.cut();
      const during = await publish(5); // the publisher talks to the broker directly
      await new Promise((resolve) => setTimeout(resolve, 500));
      proxy.heal();

      await eventually(async () => new Set(idsOf(state.events)).size === 10, 15_000);
      expect(new Set(idsOf(state.events))).toEqual(new Set([...before, ...during]));
    } finally {
      await poller?.stop();
      poller = undefined;
      await proxy.stop();
    }
  });
});
