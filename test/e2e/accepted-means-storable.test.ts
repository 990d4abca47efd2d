import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../tools/services.js';
import { useOfflineStack } from '../support/offline-stack.js';

const now = () => new Date().toISOString();
const native = (overrides: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  user_id: 5,
  event_type: 'edge',
  timestamp: now(),
  ...overrides,
});
const call = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Edge',
  userId: 'edge-user',
  messageId: randomUUID(),
  timestamp: now(),
  ...overrides,
});
// As text: JSON.stringify itself overflows the stack on such a value, which is the point.
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const withDeepProperties = (depth: number) =>
  JSON.stringify(call({ properties: { a: 'DEEP' } })).replace('"DEEP"', deepArrays(depth));
const forgedCursor = Buffer.from(JSON.stringify([8_640_000_000_000_001, 1])).toString('base64url');

/**
 * Issue 16's six cases, over HTTP against the real serverless offline, broker and database: what is answered
 * accepted is stored, what is refused gets a precise 4xx, nothing gets a 500, and nothing turns poison.
 */
describe('accepted means storable: the cases that once broke it', () => {
  const stack = useOfflineStack('storable');
  const post = (path: string, body: string | object) => stack.offline.post(path, body);
  const stored = async (eventIds: string[]) =>
    (
      await stack.database.rows<{ n: number }>(
        `SELECT COUNT(*) AS n FROM user_activities WHERE event_id IN (${eventIds.map(() => '?').join(', ')})`,
        eventIds,
      )
    )[0]?.n;

  it('refuses, in a native batch, the one event too large to queue and stores the others', async () => {
    const events = [native(), native({ metadata: { blob: 'x'.repeat(100 * 1024) } }), native()];

    const response = await post('/api/v1/events/batch', { events });
    const body = (await response.json()) as { results: unknown[] };

    expect(response.status).toBe(207);
    expect(body.results[1]).toEqual({
      index: 1,
      status: 'rejected',
      errors: [
        { field: '(event)', message: expect.stringMatching(/as a queued message, over the limit of 65536 bytes/) },
      ],
    });
    const accepted = [events[0], events[2]].map((e) => e?.event_id as string);
    await eventually(async () => Number(await stored(accepted)) === 2, 10_000);
  });

  it('refuses Segment calls whose batch context makes them too large, records them, and stores a batch with a small context', async () => {
    const large = { batch: Array.from({ length: 20 }, () => call()), context: { blob: 'c'.repeat(100 * 1024) } };
    const small = { batch: Array.from({ length: 20 }, () => call()), context: { library: { name: 'edge' } } };

    const refused = await post('/v1/batch', large);
    const accepted = await post('/v1/batch', small);

    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ success: false, accepted: 0, rejected: 20 });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ success: true, accepted: 20, rejected: 0 });
    const kept = await stack.database.rows<{ reason: string }>('SELECT reason FROM failed_events');
    expect(kept).toHaveLength(20);
    expect(kept[0]?.reason).toMatch(/^Segment call \d+ cannot be stored: \(event\) is \d+ bytes as a queued message/);
    await eventually(async () => (await stack.database.countRows()) === 2 + 20, 10_000);
  });

  it.each([
    [
      'track',
      '/api/v1/events/track',
      native({ timestamp: '0000-01-01T00:00:00+01:00', sent_at: '0000-01-01T00:00:01+01:00' }),
    ],
    [
      'track',
      '/api/v1/events/track',
      native({ timestamp: '9999-12-31T23:59:59-01:00', sent_at: '9999-12-31T23:59:59.5-01:00' }),
    ],
    [
      'Segment',
      '/v1/track',
      call({ originalTimestamp: '0000-01-01T00:00:00+01:00', sentAt: '0000-01-01T00:00:01+01:00' }),
    ],
  ])(
    'answers 400 for a %s time outside what a DATETIME holds once in UTC, even when skew correction would place it',
    async (_api, path, body) => {
      const response = await post(path, body);

      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toMatch(
        /must be from 1000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z/,
      );
    },
  );

  it.each([
    ['one call', '/v1/track', withDeepProperties(15_000)],
    ['a batch', '/v1/batch', `{"batch":[${withDeepProperties(15_000)}]}`],
  ])('answers 400, not 500, for Segment properties nested 15,000 arrays deep in %s', async (_case, path, body) => {
    const response = await post(path, body);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      details: [{ field: '(body)', message: 'must not nest objects or arrays more than 32 levels deep' }],
    });
  });

  it('answers 400, not 500, for a forged read cursor holding a time beyond a Date', async () => {
    const response = await fetch(`${stack.offline.baseUrl}/api/v1/users/5/activities?cursor=${forgedCursor}`);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      details: [{ field: 'cursor', message: 'is not a cursor this API returned' }],
    });
  });

  it.each([
    ['a bidi override in event_type', '/api/v1/events/track', native({ event_type: 'nigol\u202E' }), 'event_type'],
    ['a zero-width space in a Segment userId', '/v1/track', call({ userId: 'ana\u200B' }), 'userId'],
    ['a C1 control in an anonymousId', '/v1/track', call({ userId: null, anonymousId: 'anon\u0085' }), 'anonymousId'],
    ['a lone surrogate in a userId', '/v1/track', call({ userId: 'ana\uD800' }), 'userId'],
  ])('answers 400 naming the field for %s', async (_case, path, body, field) => {
    const response = await post(path, body);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      details: [
        { field, message: 'must not contain control, bidirectional, zero-width or unpaired surrogate characters' },
      ],
    });
  });

  it('left nothing on the queue that persist could not store', async () => {
    await eventually(async () => (await stack.broker.count(stack.config.queueName)) === 0, 10_000);
    const poison = await stack.database.rows<{ reason: string }>(
      "SELECT reason FROM failed_events WHERE reason NOT LIKE 'Segment call %'",
    );
    expect(poison).toEqual([]);
  });
});
