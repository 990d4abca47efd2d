import { afterAll, describe, expect, it } from 'vitest';
import { createHealthHandler } from '../../functions/health/handler.js';
import { createHealthProbes } from '../../functions/health/probes.js';
import { createDatabase } from '../../lib/db/client.js';
import { createConfirmChannelSource } from '../../lib/rabbitmq/confirm-channel.js';
import { databaseUrlFor, runConfig } from '../../tools/run-config.js';
import { Broker } from '../../tools/services.js';
import { httpEvent, lambdaContext } from '../factories.js';

const checkHealth = async (overrides: Record<string, string>) => {
  const config = runConfig('health', overrides);
  const source = createConfirmChannelSource(config, 'test-health');
  const database = createDatabase(config);
  try {
    const handler = createHealthHandler({ probes: createHealthProbes(source, database, config) });
    const response = await handler(httpEvent({ method: 'GET', path: '/health' }) as never, lambdaContext());
    return { config, response, body: JSON.parse(response.body) };
  } finally {
    await source.close();
    await database.pool.end();
  }
};

describe('GET /health (real broker and database)', () => {
  const queues: Array<ReturnType<typeof runConfig>> = [];

  afterAll(async () => {
    const broker = await Broker.open(runConfig('health'));
    for (const config of queues) await broker.deleteQueues(config).catch(() => undefined);
    await broker.close();
  });

  it('answers 200 UP when RabbitMQ and MySQL answer', async () => {
    // The probe needs a reachable database, not ours: information_schema exists on every server.
    const { config, response, body } = await checkHealth({ DATABASE_URL: databaseUrlFor('information_schema') });
    queues.push(config);
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ status: 'UP', checks: { rabbitmq: 'UP', mysql: 'UP' } });
  });

  it('answers 503 naming mysql when the database is unreachable', async () => {
    const { config, response, body } = await checkHealth({ DATABASE_URL: 'mysql://root@127.0.0.1:1/user_activity_db' });
    queues.push(config);
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '5' });
    expect(body).toEqual({ status: 'DOWN', checks: { rabbitmq: 'UP', mysql: 'DOWN' } });
  });

  it('answers 503 naming rabbitmq when the broker is unreachable', async () => {
    const { response, body } = await checkHealth({
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1',
      DATABASE_URL: databaseUrlFor('information_schema'),
    });
    expect(response.statusCode).toBe(503);
    expect(body).toEqual({ status: 'DOWN', checks: { rabbitmq: 'DOWN', mysql: 'UP' } });
  });
});
