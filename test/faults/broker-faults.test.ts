import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteadyLoad } from '../../tools/load/steady-load.js';
import { eventually, sleep } from '../../tools/services.js';
import { FaultStack } from './fault-stack.js';

const PUBLISH_BOUND_MS = 2000; // PUBLISH_TIMEOUT_MS of the stack

describe('faults: the broker goes away', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.create('broker');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it.each([
    ['reset and refused', (s: FaultStack) => s.rabbitProxy.cut()],
    ['black-holed', (s: FaultStack) => s.rabbitProxy.blackhole()],
  ])(
    'answers 503 within its bound while the broker link is %s for 10 s, recovers by itself, loses nothing',
    async (mode, breakLink) => {
      const load = new SteadyLoad(stack.url, 30);
      load.start();
      await sleep(2000);
      const rssBefore = stack.rssMb();

      const outageStart = Date.now();
      breakLink(stack);
      await sleep(10_000);
      stack.rabbitProxy.heal();
      const outageEnd = Date.now();
      const recovered = await eventually(
        async () => load.sent.some((r) => r.at > outageEnd && r.status === 202),
        20_000,
      );
      await sleep(2000);
      await load.stop();
      const rssAfter = stack.rssMb();

      // Requests sent well inside the outage (not straddling its edges) must be refused, promptly and with Retry-After.
      const during = load.between(outageStart + 500, outageEnd - PUBLISH_BOUND_MS - 500);
      const ledger = await stack.settle(`broker-${mode.split(' ')[0]}`, load.sent, 60_000);
      console.log(
        `broker-${mode.split(' ')[0]}: during outage ${during.length} requests, slowest ${Math.max(...during.map((r) => r.ms))} ms; rss ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MB`,
      );
      expect(recovered).toBe(true);
      expect(during.length).toBeGreaterThan(100);
      expect(during.filter((r) => r.status !== 503)).toEqual([]);
      expect(during.every((r) => r.retryAfter === '5' && r.ms < PUBLISH_BOUND_MS + 1000)).toBe(true);
      expect(ledger.lost).toBe(0);
      expect(ledger.duplicated).toBe(0);
      expect(rssAfter - rssBefore).toBeLessThan(64);
    },
    120_000,
  );

  it('gives no 202 while the queue is missing, and the poller declares it again', async () => {
    await eventually(async () => (await stack.broker.count(stack.config.queueName)) === 0, 10_000);
    const load = new SteadyLoad(stack.url);

    await stack.broker.channel.deleteQueue(stack.config.queueName);
    await Promise.all(
      Array.from({ length: 10 }, () =>
        load.send({ event_id: randomUUID(), user_id: 1, event_type: 'no_queue', timestamp: new Date().toISOString() }),
      ),
    );
    const back = await eventually(() => stack.broker.exists(stack.config.queueName), 5000);
    await sleep(1000);
    const after = await load.send({
      event_id: randomUUID(),
      user_id: 1,
      event_type: 'queue_back',
      timestamp: new Date().toISOString(),
    });

    const ledger = await stack.settle('queue-missing', load.sent);
    expect(load.sent.slice(0, 10).some((r) => r.status === 503)).toBe(true);
    expect(back).toBe(true);
    expect(after.status).toBe(202);
    expect(ledger.lost).toBe(0);
    expect(ledger.duplicated).toBe(0);
  }, 60_000);
});
