import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SteadyLoad } from '../../tools/load/steady-load.js';
import { eventually, sleep } from '../../tools/services.js';
import { FaultStack } from './fault-stack.js';

describe('faults: the database fails', () => {
  let stack: FaultStack | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it.each([
    [1, 'database-outage-30s'],
    [3, 'database-outage-30s-3-shards'],
  ])(
    'keeps accepting while the database is unreachable for 30 s with %i shard(s), dead-letters nothing, and drains the backlog',
    async (shards, scenario) => {
      // Backoff up to 5 s with a delivery limit of 20 tolerates an outage of about 90 s before anything is dead-lettered.
      stack = await FaultStack.create('dboutage', {
        PERSIST_RETRY_BACKOFF_MAX_MS: '5000',
        RABBITMQ_SHARDS: String(shards),
      });
      const s = stack;
      const load = new SteadyLoad(s.url, 30);
      load.start();
      await sleep(2000);

      s.dbProxy.cut();
      await sleep(30_000);
      s.dbProxy.heal();
      const healed = Date.now();
      await sleep(1000);
      await load.stop();

      const ledger = await s.settle(scenario, load.sent, 60_000);
      console.log(`${scenario}: backlog drained ${Date.now() - healed - 500} ms after the database came back`);
      expect(load.sent.filter((r) => r.status !== 202)).toEqual([]);
      expect(ledger.lost).toBe(0);
      expect(ledger.duplicated).toBe(0);
      expect(await s.broker.deadLetterCount(s.config)).toBe(0);
      expect(s.offline.output).toMatch(/batch of \d+ failed \(attempt \d+\)/);
      // One poller per shard consumed all along.
      expect(await s.broker.consumersOfEach(s.config)).toEqual(Array(shards).fill(1));
    },
    120_000,
  );

  it('records poison messages and dead-letters an event the database always refuses, while other traffic flows', async () => {
    stack = await FaultStack.create('poison', { RABBITMQ_DELIVERY_LIMIT: '3', PERSIST_RETRY_BACKOFF_MAX_MS: '200' });
    const s = stack;
    await s.database.rows(
      'CREATE TRIGGER refuse_explode BEFORE INSERT ON user_activities FOR EACH ROW ' +
        "BEGIN IF NEW.event_type = 'explode' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test trigger'; END IF; END",
    );
    const load = new SteadyLoad(s.url, 30);
    load.start();
    await sleep(1000);

    const poison = [
      'not json',
      JSON.stringify({ event_id: randomUUID(), user_id: 'x' }),
      JSON.stringify({ blob: 'x'.repeat(70_000) }),
    ];
    for (const body of poison)
      s.broker.channel.sendToQueue(s.config.queueName, Buffer.from(body), { persistent: true });
    const explode = await load.send({
      event_id: randomUUID(),
      user_id: 9,
      event_type: 'explode',
      timestamp: new Date().toISOString(),
    });
    const dead = await eventually(async () => (await s.broker.count(s.config.deadLetterQueueName)) > 0, 30_000);
    await sleep(2000);
    await load.stop();

    // Lambda retries a failed batch whole, so whatever shared a batch with the refused event is dead-lettered with it:
    // events that are already rows, and poison messages that are already in failed_events. Nothing else may be there.
    const deadLetters = (await s.broker.drain(s.config.deadLetterQueueName)).map((m) => m.content.toString());
    const deadIds = new Set(deadLetters.map(eventIdOf).filter((id): id is string => id !== undefined));
    const ledger = await s.settle('poison-and-refused-event', load.sent, 30_000, new Set([explode.eventId]));
    const failed = await s.database.rows<{ reason: string; raw_body: string }>(
      'SELECT reason, raw_body FROM failed_events ORDER BY id',
    );
    const stored = await s.rowCounts([...deadIds]);
    const unexplained = deadLetters.filter((body) => {
      const id = eventIdOf(body);
      if (id === explode.eventId || (id !== undefined && stored.get(id) === 1)) return false;
      return !failed.some((f) => body.startsWith(f.raw_body));
    });
    const health = await fetch(`${s.url()}/health`);

    console.log(`poison-and-refused-event: ${deadLetters.length} dead letter(s), ${failed.length} failed event(s)`);
    expect(explode.status).toBe(202);
    expect(dead).toBe(true);
    expect(deadIds.has(explode.eventId)).toBe(true);
    expect(unexplained).toEqual([]);
    expect(failed.map((f) => f.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^message body is not JSON/),
        expect.stringMatching(/^message fails the schema/),
        expect.stringMatching(/^message is \d+ bytes, over the \d+-byte limit/),
      ]),
    );
    expect(ledger.deadLettered).toBe(1);
    expect(ledger.lost).toBe(0);
    expect(ledger.duplicated).toBe(0);
    expect(ledger.storedOnce).toBe(ledger.accepted - 1);
    expect(health.status).toBe(200);
  }, 120_000);
});

const eventIdOf = (body: string): string | undefined => {
  try {
    const id = (JSON.parse(body) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};
