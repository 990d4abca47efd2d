import { randomUUID } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { peakRssBytes } from '../../tools/proc.js';
import { eventually, sleep } from '../../tools/services.js';
import { basicAuth } from '../factories.js';
import { useOfflineStack } from '../support/offline-stack.js';
import { openApiErrors } from '../support/openapi-schemas.js';

/**
 * Hostile input to the Segment-compatible endpoints (functions/segment) of the real serverless offline, with API_KEYS
 * set: each case asserts the answer and what reached user_activities and failed_events.
 */

const WRITE_KEY = 'faults-segment-write-key-0123456789';
const WRONG_KEY = 'faults-segment-wrong-key-9876543210';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const track = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Hostile Input',
  userId,
  messageId: randomUUID(),
  ...extra,
});

describe('faults: hostile input to the Segment endpoints over HTTP (API_KEYS set)', () => {
  const stack = useOfflineStack('segment_input', { env: { API_KEYS: WRITE_KEY } });
  const answers: Answer[] = [];

  /** Raw bytes over HTTP, so gzip and invalid UTF-8 reach the server as sent. */
  const post = (path: string, body: Buffer, headers: Record<string, string> = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        new URL(path, stack.offline.baseUrl),
        { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const answer = {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text === '' ? {} : JSON.parse(text),
            };
            answers.push(answer);
            resolve(answer);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const ofUser = (userKey: string) =>
    stack.database.rows<{ event_type: string }>('SELECT event_type FROM user_activities WHERE user_key = ?', [userKey]);

  /** Gives anything published time to reach the table, then checks neither table grew. */
  const expectNothingStored = async (before: { activities: number; failed: number }): Promise<void> => {
    await sleep(1000);
    expect(await stack.broker.count(stack.config.queueName)).toBe(0);
    expect(await stack.database.countRows('user_activities')).toBe(before.activities);
    expect(await stack.database.countRows('failed_events')).toBe(before.failed);
  };
  const counts = async () => ({
    activities: await stack.database.countRows('user_activities'),
    failed: await stack.database.countRows('failed_events'),
  });

  it.each([
    ['/v1/batch', '20 MB of zeros', Buffer.alloc(20 * 1024 * 1024), 512_000],
    [
      '/v1/track',
      'a 20 MB property in a track call',
      Buffer.concat([
        Buffer.from('{"event":"Bomb","userId":"bomb","properties":{"p":"'),
        Buffer.alloc(20 * 1024 * 1024, 'a'),
        Buffer.from('"}}'),
      ]),
      32_768,
    ],
  ])('answers a gzip bomb to %s (%s) with 413 and stores nothing', async (path, _what, inflated, limit) => {
    const before = await counts();
    const bomb = gzipSync(inflated, { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);

    const answer = await post(path, bomb, { authorization: basicAuth(WRITE_KEY), 'content-encoding': 'gzip' });

    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({
      status: 413,
      message: expect.stringContaining(`must not exceed ${limit} bytes`),
    });
    await expectNothingStored(before);
    expect((await fetch(`${stack.offline.baseUrl}/health`)).status).toBe(200);
  });

  it('stops inflating a 1 GB gzip bomb at the limit: 413, and the server never held the inflated bytes', async () => {
    // Gzip members concatenate: 100 copies of 10 MB of zeros are 1 GB inflated, about 1 MB on the wire.
    const member = gzipSync(Buffer.alloc(10 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 100 }, () => member));
    const peakBefore = peakRssBytes(stack.offline.pid);

    const answer = await post('/v1/batch', bomb, { authorization: basicAuth(WRITE_KEY), 'content-encoding': 'gzip' });

    expect(answer.status).toBe(413);
    // Inflating it all would have taken the process's peak resident size up by about 1 GB.
    expect(peakRssBytes(stack.offline.pid) - peakBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it.each([
    ['a wrong key in the body beside the right key in the header', WRITE_KEY, WRONG_KEY],
    ['the right key in the body beside a wrong key in the header', WRONG_KEY, WRITE_KEY],
    ['a wrong key in the header only', WRONG_KEY, undefined],
    ['no key at all', undefined, undefined],
  ])('answers %s with 401 and publishes nothing', async (_case, headerKey, bodyKey) => {
    const before = await counts();
    const userId = `user-${randomUUID()}`;

    const answer = await post(
      '/v1/batch',
      json({ batch: [track(userId)], ...(bodyKey === undefined ? {} : { writeKey: bodyKey }) }),
      headerKey === undefined ? {} : { authorization: basicAuth(headerKey) },
    );

    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Basic /);
    expect(answer.body).toMatchObject({ status: 401, message: expect.stringMatching(/write key/) });
    await expectNothingStored(before);
    expect(await ofUser(userId)).toEqual([]);
  });

  it('stores a batch with the right key in the body only, and a single call too', async () => {
    const userId = `user-${randomUUID()}`;

    const batch = await post('/v1/batch', json({ writeKey: WRITE_KEY, batch: [track(userId)] }));
    const single = await post('/v1/identify', json({ writeKey: WRITE_KEY, userId, traits: { plan: 'pro' } }));

    expect(batch).toMatchObject({ status: 200, body: { success: true, accepted: 1, rejected: 0 } });
    expect(single).toMatchObject({ status: 200, body: { success: true, accepted: 1, rejected: 0 } });
    await eventually(async () => (await ofUser(userId)).length === 2, 10_000, 100);
    expect((await ofUser(userId)).map((row) => row.event_type).sort()).toEqual(['$identify', 'Hostile Input']);
  });

  it('answers a batch of 2,501 calls with 400 and stores none of them', async () => {
    const before = await counts();
    const userId = `user-${randomUUID()}`;
    const body = json({ batch: Array.from({ length: 2501 }, () => track(userId)) });
    expect(body.length).toBeLessThan(500 * 1024);

    const answer = await post('/v1/batch', body, { authorization: basicAuth(WRITE_KEY) });

    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.details)).toMatch(/must NOT have more than 2500 items/);
    await expectNothingStored(before);
    expect(await ofUser(userId)).toEqual([]);
  });

  it('stores the 2 usable calls of a batch of 3 and records the 33 KB one in failed_events', async () => {
    const userId = `user-${randomUUID()}`;
    const big = track(userId, { event: 'Too Big', properties: { blob: 'x'.repeat(33 * 1024) } });
    const calls = [track(userId, { event: 'First' }), big, track(userId, { event: 'Third' })];

    const answer = await post('/v1/batch', json({ writeKey: WRITE_KEY, batch: calls }), {
      authorization: basicAuth(WRITE_KEY),
    });

    expect(answer).toMatchObject({ status: 200, body: { success: true, accepted: 2, rejected: 1 } });
    await eventually(async () => (await ofUser(userId)).length === 2, 10_000, 100);
    await sleep(500);
    expect((await ofUser(userId)).map((row) => row.event_type).sort()).toEqual(['First', 'Third']);
    const failed = await stack.database.rows<{ message_id: string; reason: string; raw_body: string }>(
      'SELECT message_id, reason, raw_body FROM failed_events WHERE message_id = ?',
      [big.messageId],
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(
      /^Segment call 1 cannot be stored: .*over Segment's limit of 32768 bytes per call/,
    );
    expect(JSON.parse(failed[0]?.raw_body ?? 'null')).toEqual(big);
  });

  it.each([
    ['as text', (bytes: Buffer) => bytes, {}],
    ['gzipped', (bytes: Buffer) => gzipSync(bytes), { 'content-encoding': 'gzip' }],
  ])('answers invalid UTF-8 in a text/plain body (%s) with 400 and stores nothing', async (_how, encode, headers) => {
    const before = await counts();
    const userId = `user-${randomUUID()}`;
    const bytes = Buffer.concat([
      json({ writeKey: WRITE_KEY, batch: [track(userId)] }).subarray(0, -2),
      Buffer.from(',"bad":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);

    const answer = await post('/v1/batch', encode(bytes), { 'content-type': 'text/plain', ...headers });

    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.details)).toMatch(/is not valid UTF-8/);
    await expectNothingStored(before);
    expect(await ofUser(userId)).toEqual([]);
  });

  const sdkBatch = () => json({ writeKey: WRITE_KEY, batch: [track(`user-${randomUUID()}`)] });
  it.each([
    ['garbage declared as gzip', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }, 400, /not valid gzip/],
    ['a truncated gzip body', gzipSync(sdkBatch()).subarray(0, 20), { 'content-encoding': 'gzip' }, 400, /gzip/],
    ['Content-Encoding: br', sdkBatch(), { 'content-encoding': 'br' }, 415, /Content-Encoding must be gzip/],
    ['Content-Type: application/xml', sdkBatch(), { 'content-type': 'application/xml' }, 415, /Content-Type must be/],
    [
      'a JSON array (the key in the header)',
      json([{}]),
      { authorization: basicAuth(WRITE_KEY) },
      400,
      /must be a JSON object/,
    ],
    ['a JSON array (no key it could carry)', json([{ writeKey: WRITE_KEY }]), {}, 401, /Missing write key/],
    ['an empty body', Buffer.alloc(0), { 'content-type': 'text/plain' }, 400, /is empty/],
  ])('answers %s with its 4xx and stores nothing', async (_case, body, headers, status, message) => {
    const before = await counts();

    const answer = await post('/v1/batch', body, headers);

    expect(answer.status).toBe(status);
    expect(`${answer.body.message} ${JSON.stringify(answer.body.details)}`).toMatch(message);
    await expectNothingStored(before);
  });

  it('is still up and healthy after all of that, never answered 500, and answered as the OpenAPI document says', async () => {
    const statuses = answers.map((answer) => answer.status);
    expect(statuses).toHaveLength(20);
    expect(statuses.filter((status) => !(status >= 200 && status < 300) && !(status >= 400 && status < 500))).toEqual(
      [],
    );
    expect(stack.offline.output).not.toMatch(/statusCode.: 500|Unhandled error/);
    for (const answer of answers)
      expect(openApiErrors(answer.status === 200 ? 'SegmentResult' : 'SegmentError', answer.body)).toEqual([]);
    expect((await fetch(`${stack.offline.baseUrl}/health`)).status).toBe(200);
    const userId = `user-${randomUUID()}`;
    const answer = await post('/v1/track', json(track(userId)), { authorization: basicAuth(WRITE_KEY) });
    expect(answer).toMatchObject({ status: 200, body: { success: true, accepted: 1, rejected: 0 } });
    await eventually(async () => (await ofUser(userId)).length === 1, 10_000, 100);
    expect(await ofUser(userId)).toEqual([{ event_type: 'Hostile Input' }]);
  });
});
