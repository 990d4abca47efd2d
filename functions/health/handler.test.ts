import { describe, expect, it } from 'vitest';
import type { HealthProbe } from '../../lib/ports.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { createHealthHandler } from './handler.js';

const probe = (name: string, check: () => Promise<void>): HealthProbe => ({ name, check });
const up = () => Promise.resolve();
const check = async (probes: HealthProbe[]) => {
  const response = await createHealthHandler({ probes })(
    httpEvent({ method: 'GET', path: '/health' }) as never,
    lambdaContext(),
  );
  return { response, body: JSON.parse(response.body) };
};

describe('health (function level, real middy stack)', () => {
  it('answers 200 UP when every dependency answers', async () => {
    const { response, body } = await check([probe('rabbitmq', up), probe('mysql', up)]);

    expect(response.statusCode).toBe(200);
    expect(body).toEqual({ status: 'UP', checks: { rabbitmq: 'UP', mysql: 'UP' } });
  });

  it('answers 503 with Retry-After naming the dependency that fails', async () => {
    const { response, body } = await check([
      probe('rabbitmq', up),
      probe('mysql', () => Promise.reject(new Error('ECONNREFUSED'))),
    ]);

    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '5' });
    expect(body).toEqual({ status: 'DOWN', checks: { rabbitmq: 'UP', mysql: 'DOWN' } });
  });

  it('counts a dependency that does not answer within 2 s as DOWN instead of hanging', async () => {
    const { response, body } = await check([probe('rabbitmq', () => new Promise(() => undefined)), probe('mysql', up)]);

    expect(response.statusCode).toBe(503);
    expect(body.checks).toEqual({ rabbitmq: 'DOWN', mysql: 'UP' });
  });
});
