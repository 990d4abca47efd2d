import { describe, expect, it } from 'vitest';
import type { QueueInspector, StatsReader, StoredStats } from '../../lib/ports.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { openApiErrors } from '../../test/support/openapi-schemas.js';
import { createStatsHandler } from './handler.js';

const stored: StoredStats = {
  storedTotal: 42,
  failedTotal: 1,
  suppressedTotal: 5,
  storedPerMinute: [{ minute: new Date('2026-11-29T15:00:00Z'), count: 42 }],
  newestStoredAt: new Date('2026-11-29T15:00:30Z'),
  newestAgeSeconds: 2.5,
  newestFailed: { at: new Date('2026-11-29T14:59:00Z'), reason: 'message body is not JSON' },
  planViolations: [
    { eventType: 'checkout', rule: 'required', rejected: 1, flagged: 2 },
    { eventType: 'checkout', rule: 'type', rejected: 0, flagged: 3 },
  ],
};
const inspector: QueueInspector = {
  inspectQueues: async () => ({
    queues: [
      { name: 'q', messages: 3, consumers: 1 },
      { name: 'q.1', messages: 2, consumers: 1 },
    ],
    deadLetters: [
      { name: 'q.dlq', messages: 0, consumers: 0 },
      { name: 'q.1.dlq', messages: 1, consumers: 0 },
    ],
  }),
};
const reader: StatsReader = { readStoredStats: async () => stored };
const down = () => Promise.reject(new Error('ECONNREFUSED'));

const getStats = async (sources: { inspector: QueueInspector; reader: StatsReader }, headers = {}) => {
  const handler = createStatsHandler({ sources, access: { open: false, keys: ['a-read-key-of-16-chars'] } });
  const response = await handler(
    httpEvent({ method: 'GET', path: '/api/v1/stats', headers }) as never,
    lambdaContext(),
  );
  return { status: response.statusCode, body: JSON.parse(response.body) };
};
const withKey = { authorization: 'Bearer a-read-key-of-16-chars' };

describe('stats (function level, real middy stack)', () => {
  it('answers the queue, the dead letters, failed and stored events', async () => {
    const { status, body } = await getStats({ inspector, reader }, withKey);

    expect(status).toBe(200);
    expect(body).toEqual({
      queue: {
        name: 'q',
        messages: 5,
        consumers: 2,
        shards: [
          { name: 'q', messages: 3, consumers: 1 },
          { name: 'q.1', messages: 2, consumers: 1 },
        ],
      },
      dead_letters: {
        name: 'q.dlq',
        messages: 1,
        shards: [
          { name: 'q.dlq', messages: 0 },
          { name: 'q.1.dlq', messages: 1 },
        ],
      },
      failed_events: { total: 1, newest: { at: '2026-11-29T14:59:00.000Z', reason: 'message body is not JSON' } },
      plan_violations: {
        total: 6,
        rejected: 1,
        flagged: 5,
        by_type: [
          { event_type: 'checkout', rule: 'required', rejected: 1, flagged: 2 },
          { event_type: 'checkout', rule: 'type', rejected: 0, flagged: 3 },
        ],
      },
      suppressed: { total: 5 },
      stored: {
        total: 42,
        per_minute: [{ minute: '2026-11-29T15:00:00.000Z', count: 42 }],
        newest_at: '2026-11-29T15:00:30.000Z',
        newest_age_seconds: 2.5,
      },
      unavailable: [],
    });
    expect(openApiErrors('Stats', body)).toEqual([]);
  });

  it('answers what it knows when the broker does not answer, and names it', async () => {
    const { status, body } = await getStats({ inspector: { inspectQueues: down }, reader }, withKey);

    expect(status).toBe(200);
    expect(body).toMatchObject({ queue: null, dead_letters: null, stored: { total: 42 }, unavailable: ['rabbitmq'] });
    expect(openApiErrors('Stats', body)).toEqual([]);
  });

  it('answers 503 when neither source answers', async () => {
    const { status } = await getStats(
      { inspector: { inspectQueues: down }, reader: { readStoredStats: down } },
      withKey,
    );
    expect(status).toBe(503);
  });

  it('answers 401 without a read key', async () => {
    const { status, body } = await getStats({ inspector, reader });
    expect(status).toBe(401);
    expect(body.message).toBe('Missing API key: send Authorization: Bearer <key>');
  });
});
