import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetricsHandler } from '../../functions/metrics/handler.js';
import { createPersistHandler } from '../../functions/persist/handler.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { createDrizzleStatsReader } from '../../lib/db/stats-reader.js';
import { createConfirmChannelSource } from '../../lib/rabbitmq/confirm-channel.js';
import { createQueueInspector } from '../../lib/rabbitmq/queue-inspector.js';
import { activityMessage, decodeRules, httpEvent, lambdaContext, rmqEvent } from '../factories.js';
import { useServiceStack } from '../support/offline-stack.js';

describe('pipeline stats (real RabbitMQ and MariaDB)', () => {
  const stack = useServiceStack('stats');
  const { config } = stack;
  const connection = createDatabase(config);
  const source = createConfirmChannelSource(config, 'test-stats');
  const reader = createDrizzleStatsReader(connection.db);
  const persist = createPersistHandler({ store: createDrizzleStore(connection.db), rules: decodeRules() });

  afterAll(async () => {
    await source.close();
    await connection.pool.end();
  });

  it('counts what persist stored, once per event, in the total and in the current minute', async () => {
    const [a, b] = [activityMessage(), activityMessage()];

    await persist(rmqEvent([a, b, 'not json']), lambdaContext());
    await persist(rmqEvent([a, b]), lambdaContext()); // a redelivery: nothing new

    const stats = await reader.readStoredStats();
    expect(stats).toMatchObject({ storedTotal: 2, failedTotal: 1 });
    expect(stats.storedPerMinute).toHaveLength(15);
    expect(stats.storedPerMinute.reduce((sum, m) => sum + m.count, 0)).toBe(2);
    expect(stats.newestAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(stats.newestAgeSeconds).toBeLessThan(60);
    expect(stats.newestFailed?.reason).toMatch(/not JSON/);
    const [row] = await stack.database.rows<{ n: number }>('SELECT COUNT(*) AS n FROM user_activities');
    expect(Number(row?.n)).toBe(stats.storedTotal);
  });

  it('serves /metrics whose queue depth is RabbitMQ’s own count of the parked messages', async () => {
    for (let i = 0; i < 7; i += 1)
      stack.broker.channel.sendToQueue(config.queueName, Buffer.from(JSON.stringify(activityMessage())));
    for (let i = 0; i < 2; i += 1) stack.broker.channel.sendToQueue(config.deadLetterQueueName, Buffer.from('{}'));
    await stack.broker.channel.waitForConfirms();
    const handler = createMetricsHandler({ sources: { inspector: createQueueInspector(source, config), reader } });

    const response = await handler(httpEvent({ method: 'GET', path: '/metrics' }) as never, lambdaContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = new Map(parsePrometheusTextFormat(response.body).map((f) => [f.name, f.metrics]));
    expect(families.get('activity_queue_messages')).toEqual([
      { value: String(await stack.broker.count(config.queueName)), labels: { queue: config.queueName } },
    ]);
    expect(await stack.broker.count(config.queueName)).toBe(7);
    expect(families.get('activity_dlq_messages')).toEqual([
      { value: '2', labels: { queue: config.deadLetterQueueName } },
    ]);
    expect(families.get('activity_events_stored_total')).toEqual([{ value: '2' }]);
    expect(families.get('activity_failed_events_total')).toEqual([{ value: '1' }]);
  });
});
