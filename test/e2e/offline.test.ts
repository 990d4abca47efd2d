import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../tools/services.js';
import { seedPayload } from '../factories.js';
import { logLines } from '../support/log-lines.js';
import { useOfflineStack } from '../support/offline-stack.js';

describe('serverless offline start (end to end)', () => {
  const stack = useOfflineStack('e2e');
  const { config } = stack;

  const rowFor = (eventId: string) =>
    stack.database.rows('SELECT * FROM user_activities WHERE event_id = ?', [eventId]).then((rows) => rows[0]);

  it('turns the seed README curl payload into a row', async () => {
    const response = await stack.offline.post('/api/v1/events/track', seedPayload);
    const accepted = Date.now();
    const body = (await response.json()) as { event_id: string };

    expect(response.status).toBe(202);
    expect(body).toEqual({ status: 'accepted', event_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const row = await eventually(() => rowFor(body.event_id), 5000, 10);
    console.log(`e2e: 202 -> row visible after ${Date.now() - accepted} ms`);
    expect(row).toMatchObject({ user_id: 123, event_type: 'login', occurred_at: '2026-02-19 10:00:00.000' });
  });

  it('stores an event sent twice with the same event_id once', async () => {
    const payload = { ...seedPayload, event_id: '0b7c8f7e-3f7a-4f2b-9b7e-5d2c1a0e9f11' };

    const statuses = await Promise.all(
      [1, 2].map(async () => (await stack.offline.post('/api/v1/events/track', payload)).status),
    );
    await eventually(() => rowFor(payload.event_id), 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(statuses).toEqual([202, 202]);
    expect(
      await stack.database.rows('SELECT id FROM user_activities WHERE event_id = ?', [payload.event_id]),
    ).toHaveLength(1);
  });

  it.each([
    ['a schema failure', { ...seedPayload, user_id: 'abc' }, undefined, 400, 'Validation failed'],
    ['malformed JSON', '{"user_id": 1,', undefined, 400, 'Malformed JSON request body'],
    [
      'a body over 32 KB',
      { ...seedPayload, metadata: { blob: 'x'.repeat(40_000) } },
      undefined,
      413,
      'Request body must not exceed 32768 bytes (32 KB)',
    ],
    [
      'a text/plain body',
      JSON.stringify(seedPayload),
      { 'content-type': 'text/plain' },
      415,
      'Content-Type must be application/json (got "text/plain")',
    ],
  ])('answers %s with the error format and stores nothing', async (_case, body, headers, status, message) => {
    const before = await stack.broker.count(config.queueName);

    const response = await stack.offline.post('/api/v1/events/track', body, headers);

    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status, message, details: expect.any(Array) });
    expect(await stack.broker.count(config.queueName)).toBe(before);
  });

  it('answers GET /health with both dependencies UP', async () => {
    const response = await fetch(`${stack.offline.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'UP', checks: { rabbitmq: 'UP', mysql: 'UP' } });
  });

  it('answers GET /health/live without checking dependencies, and serves the pipeline state as JSON and Prometheus text', async () => {
    const live = await fetch(`${stack.offline.baseUrl}/health/live`);
    const stats = await fetch(`${stack.offline.baseUrl}/api/v1/stats`);
    const metrics = await fetch(`${stack.offline.baseUrl}/metrics`);

    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'UP' });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({
      queue: { name: config.queueName, consumers: 1 },
      stored: { total: await stack.database.countRows() },
      unavailable: [],
    });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const names = parsePrometheusTextFormat(await metrics.text()).map((family) => family.name);
    expect(names).toEqual(expect.arrayContaining(['activity_queue_messages', 'activity_events_stored_total']));
  });

  it('stops cleanly on SIGTERM and closes its broker connections', async () => {
    const code = await stack.offline.stop('SIGTERM');

    expect(code).toBe(0);
    expect(logLines(stack.offline.output)).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        service: 'offline-rabbitmq',
        message: expect.stringMatching(/^pollers stopped/),
      }),
    );
    const connections = await eventually(async () => {
      const { consumerCount } = await stack.broker.channel.checkQueue(config.queueName);
      return consumerCount === 0;
    }, 5000);
    expect(connections).toBe(true);
  });
});
