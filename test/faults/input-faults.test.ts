import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteadyLoad } from '../../tools/load/steady-load.js';
import { FaultStack } from './fault-stack.js';

const valid = () => ({ user_id: 1, event_type: 'hostile', timestamp: new Date().toISOString() });
/**
 * What a prototype-pollution payload would plant: the three required fields. Had the server merged one into its
 * Object.prototype, a body without them would pass the schema's `required` check there, which the last test sees.
 */
const pollution = '{"user_id":7,"event_type":"polluted","timestamp":"2026-02-19T10:00:00Z"}';
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Raw bytes over HTTP, so invalid UTF-8 reaches the server as such. */
const postRaw = (base: string, body: Buffer, contentType?: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL('/api/v1/events/track', base);
    const req = request(url, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('faults: duplicates and hostile input over HTTP', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.create('input');
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('stores an event_id sent 5 times sequentially and 5 times concurrently exactly once', async () => {
    const load = new SteadyLoad(stack.url);
    const sequential = { ...valid(), event_id: randomUUID() };
    const concurrent = { ...valid(), event_id: randomUUID() };

    for (let i = 0; i < 5; i += 1) await load.send(sequential);
    await Promise.all(Array.from({ length: 5 }, () => load.send(concurrent)));

    const ledger = await stack.settle('same-event-id-5x', load.sent);
    expect(load.sent.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(ledger).toMatchObject({ sent: 2, storedOnce: 2, duplicated: 0, lost: 0 });
  });

  const json = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  it.each([
    [
      'a body over 32 KB',
      json({ ...valid(), metadata: { x: 'y'.repeat(40_000) } }),
      'application/json',
      413,
      /must not exceed 32768 bytes/,
    ],
    [
      'objects nested 10,000 deep (50 KB)',
      json(`{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":${nested(10_000)}}`),
      'application/json',
      413,
      /must not exceed 32768 bytes/,
    ],
    [
      'objects nested 5,000 deep',
      json(`{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":${nested(5_000)}}`),
      'application/json',
      400,
      /more than 10 levels deep/,
    ],
    [
      'objects nested 20 deep',
      json(`{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":${nested(20)}}`),
      'application/json',
      400,
      /more than 10 levels deep/,
    ],
    [
      'an array 10,000 deep',
      json(
        `{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
      ),
      'application/json',
      400,
      /more than 10 levels deep/,
    ],
    [
      '__proto__ in metadata',
      json(`{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":{"__proto__":${pollution}}}`),
      'application/json',
      400,
      /reserved key names/,
    ],
    [
      'constructor.prototype in metadata',
      json(
        `{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":{"constructor":{"prototype":${pollution}}}}`,
      ),
      'application/json',
      400,
      /reserved key names/,
    ],
    [
      '__proto__ at the top level',
      json(`{"__proto__":${pollution},"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z"}`),
      'application/json',
      400,
      /is not an allowed field/,
    ],
    [
      'invalid UTF-8',
      Buffer.concat([
        json('{"user_id":1,"event_type":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        json('","timestamp":"2026-02-19T10:00:00Z"}'),
      ]),
      'application/json',
      400,
      /not valid UTF-8/,
    ],
    [
      'user_id 1e400',
      json('{"user_id":1e400,"event_type":"a","timestamp":"2026-02-19T10:00:00Z"}'),
      'application/json',
      400,
      /must be integer/,
    ],
    [
      'user_id 2^53+1',
      json('{"user_id":9007199254740993,"event_type":"a","timestamp":"2026-02-19T10:00:00Z"}'),
      'application/json',
      400,
      /must be <= 9007199254740991/,
    ],
    ['a wrong content type', json(valid()), 'text/plain', 415, /must be application\/json/],
    ['an empty body', Buffer.alloc(0), 'application/json', 400, /Malformed JSON/],
    ['an array instead of an object', json([valid()]), 'application/json', 400, /must be object/],
    [
      'metadata with 10,000 keys',
      json({ ...valid(), metadata: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) }),
      'application/json',
      413,
      /must not exceed/,
    ],
    [
      'a 10 KB event_type',
      json({ ...valid(), event_type: 'e'.repeat(10_240) }),
      'application/json',
      400,
      /must NOT have more than 64 characters/,
    ],
    [
      'control characters',
      json({ ...valid(), event_type: 'a\u0007b' }),
      'application/json',
      400,
      /must not contain control, bidi/,
    ],
    [
      'a timestamp before 2000',
      json({ ...valid(), timestamp: '1970-01-01T00:00:00Z' }),
      'application/json',
      400,
      /must not be before 2000-01-01/,
    ],
    [
      'a timestamp with a space for the T',
      json({ ...valid(), timestamp: '2026-02-19 10:00:00' }),
      'application/json',
      400,
      /iso8601-date-time/,
    ],
    [
      'an event_id with a urn:uuid: prefix',
      json({ ...valid(), event_id: `urn:uuid:${randomUUID()}` }),
      'application/json',
      400,
      /must be a UUID/,
    ],
    [
      'a timestamp a week ahead',
      json({ ...valid(), timestamp: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
      'application/json',
      400,
      /more than 24 hours in the future/,
    ],
  ])('answers %s with its 4xx and publishes nothing', async (_case, body, contentType, status, message) => {
    const before = await stack.database.rows<{ n: number }>('SELECT COUNT(*) AS n FROM user_activities');

    const response = await postRaw(stack.url(), body, contentType);

    expect(response.status).toBe(status);
    expect(JSON.parse(response.body).message + JSON.stringify(JSON.parse(response.body).details)).toMatch(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stack.broker.count(stack.config.queueName)).toBe(0);
    expect(await stack.database.rows('SELECT COUNT(*) AS n FROM user_activities')).toEqual(before);
  });

  it('answers a text body without a Content-Type 415, as API Gateway leaves the header out', async () => {
    const response = await postRaw(stack.url(), Buffer.from('user_id=1'), undefined);
    expect(response.status).toBe(415);
  });

  it('is still up and healthy after all of that, never answered 500, and its objects are not polluted', async () => {
    const health = await fetch(`${stack.url()}/health`);
    expect(health.status).toBe(200);
    expect(stack.offline.output).not.toMatch(/statusCode.: 500|Unhandled error/);

    const empty = await postRaw(stack.url(), json({}), 'application/json');

    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).details.map((d: { field: string }) => d.field)).toEqual([
      'user_id',
      'event_type',
      'timestamp',
    ]);
  });
});
