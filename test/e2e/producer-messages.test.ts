import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toolEnv } from '../../tools/env.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runEnv } from '../../tools/run-config.js';
import { eventually } from '../../tools/services.js';
import { seedPayload } from '../factories.js';
import { useServiceStack } from '../support/offline-stack.js';

const run = promisify(execFile);

/** Messages published straight to the queue by another producer, as the original Spring Boot service does. */
describe('messages from other producers (the original service’s schema) on the queue', () => {
  const stack = useServiceStack('producer');
  const { config } = stack;

  const rows = () =>
    stack.database.rows<{ event_type: string; received_at: string }>(
      'SELECT event_type, received_at FROM user_activities ORDER BY id',
    );

  it('are stored once through the poller, re-published copies included, with received_at from the AMQP timestamp', async () => {
    const offline = await OfflineProcess.start({ env: runEnv(config) });
    try {
      const published = Math.floor(Date.now() / 1000) - 60;
      const body = Buffer.from(JSON.stringify({ ...seedPayload, timestamp: new Date().toISOString().slice(0, 19) }));
      stack.broker.channel.sendToQueue(config.queueName, body, { timestamp: published }); // no content type, no message id
      stack.broker.channel.sendToQueue(config.queueName, body, { timestamp: published }); // the same message re-published
      stack.broker.channel.sendToQueue(config.queueName, Buffer.from(JSON.stringify({ ...seedPayload, user_id: 'x' })));
      await stack.broker.channel.waitForConfirms();

      await eventually(async () => (await stack.database.rows('SELECT id FROM failed_events')).length === 1, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // time for a second row, were there one

      expect(await rows()).toEqual([
        { event_type: 'login', received_at: new Date(published * 1000).toISOString().replace('T', ' ').slice(0, 23) },
      ]);
    } finally {
      await offline.stop('SIGTERM');
    }
  });

  it('are stored by `serverless invoke local -f persist` from an event shaped like AWS’s sample', async () => {
    await stack.database.rows('DELETE FROM user_activities');
    const env = { ...toolEnv(), ...runEnv(config) };
    const args = [
      'node_modules/serverless/bin/serverless.js',
      'invoke',
      'local',
      '-f',
      'persist',
      '-p',
      'events/persist-producer.json',
    ];

    const { stdout } = await run(process.execPath, args, { env, timeout: 120_000 });

    expect(stdout).toMatch(/"stored": 1/);
    expect(await rows()).toEqual([{ event_type: 'login', received_at: '2026-02-19 10:00:03.000' }]);
  }, 150_000);
});
