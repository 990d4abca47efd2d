import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toolEnv } from '../../tools/env.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runEnv } from '../../tools/run-config.js';
import { eventually } from '../../tools/services.js';
import { seedPayload } from '../factories.js';
import { useServiceStack } from '../support/offline-stack.js';

const run = promisify(execFile);

/** Epoch ms as the DATETIME(3) text the database answers. */
const asDatetime = (millis: number) => new Date(millis).toISOString().replace('T', ' ').slice(0, 23);

/** Messages published straight to the queue by another producer, as the original Spring Boot service does. */
describe('messages from other producers (the original service’s schema) on the queue', () => {
  const stack = useServiceStack('producer');
  const { config } = stack;

  const idRows = () =>
    stack.database.rows<{ event_id: string; received_at: string }>(
      'SELECT event_id, received_at FROM user_activities ORDER BY id',
    );

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

      expect(await rows()).toEqual([{ event_type: 'login', received_at: asDatetime(published * 1000) }]);
    } finally {
      await offline.stop('SIGTERM');
    }
  });

  it('are stored under the event_id they carry, without received_at, received when published or else when read', async () => {
    await stack.database.rows('DELETE FROM user_activities');
    await stack.database.rows('DELETE FROM failed_events');
    const offline = await OfflineProcess.start({ env: runEnv(config) });
    try {
      const published = Math.floor(Date.now() / 1000) - 60;
      const [stamped, unstamped] = [randomUUID(), randomUUID()];
      const message = (eventId: string) =>
        Buffer.from(
          JSON.stringify({ ...seedPayload, event_id: eventId.toUpperCase(), timestamp: '2026-02-19T10:00:00' }),
        );
      const before = Date.now();
      stack.broker.channel.sendToQueue(config.queueName, message(stamped), { timestamp: published });
      stack.broker.channel.sendToQueue(config.queueName, message(unstamped)); // no AMQP timestamp
      await stack.broker.channel.waitForConfirms();

      await eventually(async () => (await idRows()).length === 2, 10_000);

      const [first, second] = await idRows();
      expect(first).toEqual({ event_id: stamped, received_at: asDatetime(published * 1000) });
      expect(second?.event_id).toBe(unstamped);
      expect(second?.received_at.localeCompare(asDatetime(before))).toBeGreaterThanOrEqual(0);
      expect(await stack.database.rows('SELECT id FROM failed_events')).toEqual([]);
    } finally {
      await offline.stop('SIGTERM');
    }
  });

  it.each([
    ['events/persist-producer.json', { event_type: 'login', received_at: '2026-02-19 10:00:03.000' }],
    [
      'events/persist-producer-event-id.json',
      { event_type: 'purchase', event_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    ],
  ])(
    'are stored by `serverless invoke local -f persist` from an event shaped like AWS’s sample (%s)',
    async (file, row) => {
      await stack.database.rows('DELETE FROM user_activities');
      const env = { ...toolEnv(), ...runEnv(config) };
      const args = ['node_modules/serverless/bin/serverless.js', 'invoke', 'local', '-f', 'persist', '-p', file];

      const { stdout } = await run(process.execPath, args, { env, timeout: 120_000 });

      expect(stdout).toMatch(/"stored": 1/);
      expect(await stack.database.rows('SELECT event_type, event_id, received_at FROM user_activities')).toEqual([
        expect.objectContaining(row),
      ]);
    },
    150_000,
  );
});
