import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackHandler } from '../../functions/track/handler.js';
import { PublishError } from '../../lib/errors.js';
import { createConfirmChannelSource } from '../../lib/rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from '../../lib/rabbitmq/publisher.js';
import { shardOf, shardQueueNames } from '../../lib/rabbitmq/shards.js';
import { runConfig } from '../../tools/run-config.js';
import { Broker } from '../../tools/services.js';
import { activityMessage, httpEvent, lambdaContext, seedPayload, toQueuedMessage } from '../factories.js';
import { testIntake } from '../support/recording-publisher.js';

describe('RabbitMQ publisher (real broker)', () => {
  const config = runConfig('publisher');
  const source = createConfirmChannelSource(config, 'test-publisher');
  const publisher = createRabbitPublisher(source, config);
  let broker: Broker;

  beforeAll(async () => {
    broker = await Broker.open(config);
  });

  afterAll(async () => {
    await source.close();
    await broker.deleteQueues(config).catch(() => undefined);
    await broker.close();
  });

  it('puts a persistent JSON message with message_id = event_id on the durable quorum queue', async () => {
    const message = activityMessage();

    await publisher.publish(toQueuedMessage(message));

    const got = await broker.get(config.queueName);
    expect(got).not.toBe(false);
    if (!got) return;
    expect(JSON.parse(got.content.toString())).toEqual(message);
    expect(got.properties).toMatchObject({
      messageId: message.event_id,
      contentType: 'application/json',
      deliveryMode: 2,
    });
  });

  it('declares the queue with a delivery limit and a dead-letter queue, and re-declaring does not conflict', async () => {
    const second = createConfirmChannelSource(config, 'test-publisher-2');
    await createRabbitPublisher(second, config).publish(toQueuedMessage(activityMessage()));
    await second.close();

    expect(await broker.count(config.deadLetterQueueName)).toBe(0);
    expect(await broker.drain(config.queueName)).toHaveLength(1);
  });

  it('publishes several events together and reports each one confirmed, in order', async () => {
    const messages = Array.from({ length: 50 }, () => activityMessage());

    const outcomes = await publisher.publishAll(messages.map(toQueuedMessage));

    expect(outcomes).toEqual(Array(50).fill(undefined));
    const queued = await broker.drain(config.queueName);
    expect(queued.map((m) => m.properties.messageId).sort()).toEqual(messages.map((m) => m.event_id).sort());
  });

  it('track answers 202 only once the event is on the queue', async () => {
    const handler = createTrackHandler({ intake: testIntake(publisher), maxBodyBytes: config.maxBodyBytes });

    const response = await handler(httpEvent({ body: seedPayload }) as never, lambdaContext());

    expect(response.statusCode).toBe(202);
    const got = await broker.get(config.queueName);
    expect(got && JSON.parse(got.content.toString()).event_id).toBe(JSON.parse(response.body).event_id);
  });

  it('rejects with PublishError when the queue is missing (mandatory: unroutable is an error)', async () => {
    await publisher.publish(toQueuedMessage(activityMessage())); // link open, topology declared
    await broker.drain(config.queueName);
    await broker.deleteQueues(config);

    await expect(publisher.publish(toQueuedMessage(activityMessage()))).rejects.toThrowError(
      /returned the event as unroutable/,
    );
    const outcomes = await publisher.publishAll([activityMessage(), activityMessage()].map(toQueuedMessage));
    expect(outcomes.map((o) => o?.message)).toEqual([
      expect.stringMatching(/unroutable/),
      expect.stringMatching(/unroutable/),
    ]);
  });

  it('routes each user to one of RABBITMQ_SHARDS queues, always the same, each with its own dead-letter queue', async () => {
    const sharded = runConfig('publisher', { RABBITMQ_SHARDS: '3' });
    const shardedSource = createConfirmChannelSource(sharded, 'test-publisher-shards');
    const messages = Array.from({ length: 60 }, (_, i) => activityMessage({ user_id: 1 + (i % 20) }));
    try {
      await createRabbitPublisher(shardedSource, sharded).publishAll(messages.map(toQueuedMessage));

      const queues = shardQueueNames(sharded.queueName, 3);
      const usersOn = await Promise.all(
        queues.map(async (queue) => (await broker.drain(queue)).map((m) => JSON.parse(m.content.toString()).user_id)),
      );
      expect(usersOn.flat().sort()).toEqual(messages.map((m) => m.user_id).sort());
      usersOn.forEach((users, shard) => {
        expect(users.length).toBeGreaterThan(0);
        for (const user of users) expect(shardOf(String(user), 3)).toBe(shard);
      });
      for (const queue of queues) expect(await broker.exists(`${queue}.dlq`)).toBe(true);
    } finally {
      await shardedSource.close();
      await broker.deleteQueues(sharded);
    }
  });

  it('rejects with PublishError as soon as the broker refuses the connection, without waiting for the publish timeout', async () => {
    const unreachable = runConfig('publisher', {
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1',
      PUBLISH_TIMEOUT_MS: '20000',
    });
    const down = createRabbitPublisher(createConfirmChannelSource(unreachable, 'test-down'), unreachable);
    const started = Date.now();

    const failure = down.publish(toQueuedMessage(activityMessage()));

    await expect(failure).rejects.toBeInstanceOf(PublishError);
    await expect(failure).rejects.toThrowError('The message broker is unreachable');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  describe('when the broker accepts TCP but never answers', () => {
    let server: Server;
    let port = 0;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket)); // a black hole: accepts, never answers
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    it('gives up within the publish timeout instead of hanging', async () => {
      const hole = runConfig('publisher', {
        RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${port}`,
        PUBLISH_TIMEOUT_MS: '500',
      });
      const handler = createTrackHandler({
        intake: testIntake(createRabbitPublisher(createConfirmChannelSource(hole, 'test-hole'), hole)),
        maxBodyBytes: hole.maxBodyBytes,
      });
      const started = Date.now();

      const response = await handler(httpEvent({ body: seedPayload }) as never, lambdaContext());

      expect(response.statusCode).toBe(503);
      expect(response.headers).toMatchObject({ 'Retry-After': '5' });
      expect(JSON.parse(response.body).message).toBe('The broker did not confirm the event within 500 ms');
      // Lower bound only: a loaded machine may answer late, but never before the timeout it names.
      expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    });
  });
});
