import process from 'node:process';
import { afterEach, describe, expect, it } from 'vitest';
import { SteadyLoad } from '../../tools/load/steady-load.js';
import { eventually, sleep } from '../../tools/services.js';
import { FaultStack } from './fault-stack.js';

describe('faults: the serverless offline process dies', () => {
  let stack: FaultStack | undefined;

  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it.each([
    [1, 'sigkill-mid-batch'],
    [3, 'sigkill-mid-batch-3-shards'],
  ])(
    'loses and duplicates nothing with %i shard(s) when SIGKILLed mid-batch, before and after the commit, and restarted',
    async (shards, scenario) => {
      stack = await FaultStack.create('kill', { RABBITMQ_SHARDS: String(shards) });
      const s = stack;
      const rows = async () =>
        Number((await s.database.rows<{ n: number }>('SELECT COUNT(*) AS n FROM user_activities'))[0]?.n);
      const load = new SteadyLoad(s.url, 40);
      load.start();
      await sleep(3000);

      // Before the commit: slow the database link so the kill lands while a batch INSERT is on the wire.
      s.dbProxy.latencyMs = 300;
      await sleep(800);
      expect(await s.offline.stop('SIGKILL')).toBe('SIGKILL');
      s.dbProxy.latencyMs = 0;
      await s.start();
      await sleep(2000);

      // After the commit: kill the moment new rows appear, before the poller can ack the batch.
      const before = await rows();
      await eventually(async () => (await rows()) > before, 5000, 2);
      expect(await s.offline.stop('SIGKILL')).toBe('SIGKILL');
      await s.start();
      await sleep(2000);
      await load.stop();

      const ledger = await s.settle(scenario, load.sent);
      expect(ledger.accepted).toBeGreaterThan(100);
      expect(ledger.lost).toBe(0);
      expect(ledger.duplicated).toBe(0);
    },
    120_000,
  );

  it('stores a batch once when its persist runner is SIGKILLed mid-batch, and starts another runner', async () => {
    stack = await FaultStack.create('runnerkill', { RABBITMQ_SHARDS: '2' });
    const s = stack;
    const load = new SteadyLoad(s.url, 40);
    load.start();
    await sleep(3000);
    const runners = s.offline.runnerPids();
    expect(runners.length).toBe(2);

    // Slow the database link so that each runner has a batch INSERT on the wire, then kill one of them.
    s.dbProxy.latencyMs = 300;
    await sleep(800);
    process.kill(runners[0] as number, 'SIGKILL');
    await s.offline.waitFor(/exited \(signal SIGKILL\) during a batch/);
    s.dbProxy.latencyMs = 0;
    await sleep(3000);
    await load.stop();

    const ledger = await s.settle('runner-sigkill-mid-batch', load.sent);
    expect(ledger.accepted).toBeGreaterThan(100);
    expect(ledger.lost).toBe(0);
    expect(ledger.duplicated).toBe(0);
    // The killed runner was replaced, and the HTTP server never went down with it.
    const after = s.offline.runnerPids();
    expect(after.length).toBe(2);
    expect(after).not.toContain(runners[0]);
    expect(load.sent.filter((r) => typeof r.status === 'number' && r.status !== 202)).toEqual([]);
  }, 120_000);

  it('finishes or cleanly fails in-flight requests on SIGTERM, exits 0, and stores every 202 after restart', async () => {
    stack = await FaultStack.create('term');
    const s = stack;
    const load = new SteadyLoad(s.url, 40);
    load.start();
    await sleep(3000);

    const stopping = Date.now();
    const code = await s.offline.stop('SIGTERM');
    const stoppedMs = Date.now() - stopping;
    await s.start();
    await sleep(2000);
    await load.stop();

    expect(code).toBe(0);
    expect(stoppedMs).toBeLessThan(10_000);
    expect(s.offline.output).not.toMatch(/Unhandled|uncaught/i);
    const ledger = await s.settle('sigterm-under-load', load.sent, 60_000);
    expect(ledger.lost).toBe(0);
    expect(ledger.duplicated).toBe(0);
    // Every answer was a 202, a clean refusal, or a connection the stopped server no longer accepted: never a hang.
    expect(load.sent.every((r) => r.ms < 10_000)).toBe(true);
    expect(load.sent.filter((r) => typeof r.status === 'number' && r.status !== 202 && r.status !== 503)).toEqual([]);
  }, 120_000);
});
