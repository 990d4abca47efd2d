import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nameBasedUuid } from '../../lib/activity/name-based-uuid.js';
import { PublishError } from '../../lib/errors.js';
import { basicAuth, httpEvent, lambdaContext } from '../../test/factories.js';
import { recordingFailedEvents, recordingPublisher, testIntake } from '../../test/support/recording-publisher.js';
import { createSegmentHandler } from './handler.js';

const NOW = new Date().toISOString();

const invoke = async (
  path: string,
  body: unknown,
  {
    headers = { 'content-type': 'application/json' },
    keys,
    fails,
    isBase64Encoded = false,
    storeFails = false,
  }: {
    headers?: Record<string, string>;
    keys?: string[];
    fails?: Parameters<typeof recordingPublisher>[0];
    isBase64Encoded?: boolean;
    storeFails?: boolean;
  } = {},
) => {
  const { published, publisher } = recordingPublisher(fails);
  const { kept: recorded, store } = recordingFailedEvents(storeFails);
  const handler = createSegmentHandler({
    intake: testIntake(publisher, store),
    access: keys === undefined ? { open: true } : { open: false, keys },
  });
  const response = await handler(httpEvent({ path, body, headers, isBase64Encoded }) as never, lambdaContext());
  return {
    status: response.statusCode,
    body: JSON.parse(response.body),
    headers: response.headers,
    published,
    recorded,
  };
};

const track = (overrides: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'user-7',
  messageId: 'msg-1',
  timestamp: NOW,
  properties: { total: 12.5 },
  ...overrides,
});

describe('segment (function level, real middy stack)', () => {
  it('maps a track call: event as event_type, userId as user_key, the rest of the call as metadata', async () => {
    const { status, body, published } = await invoke('/v1/track', {
      ...track(),
      context: { library: { name: 'analytics-node' } },
      writeKey: 'k1',
    });

    expect(status).toBe(200);
    expect(body).toEqual({ success: true, accepted: 1, rejected: 0 });
    expect(published).toEqual([
      {
        event_id: nameBasedUuid('k1\nmsg-1'),
        user_id: 0,
        user_key: 'user-7',
        event_type: 'Order Completed',
        timestamp: NOW,
        metadata: {
          type: 'track',
          messageId: 'msg-1',
          timestamp: NOW,
          properties: { total: 12.5 },
          context: { library: { name: 'analytics-node' } },
        },
        received_at: expect.any(String),
      },
    ]);
  });

  it.each([
    ['identify', '$identify'],
    ['page', '$page'],
    ['screen', '$screen'],
    ['group', '$group'],
  ])('maps a %s call to the event type %s', async (type, eventType) => {
    const { status, published } = await invoke(`/v1/${type}`, { anonymousId: 'anon-1', groupId: 'g', name: 'Home' });
    expect(status).toBe(200);
    expect(published[0]).toMatchObject({ event_type: eventType, user_id: 0, anonymous_id: 'anon-1' });
    expect(published[0]).not.toHaveProperty('user_key');
  });

  it('takes a null userId, as analytics.js sends for an anonymous visitor, as absent', async () => {
    const { status, published } = await invoke('/v1/page', { userId: null, anonymousId: 'anon-2' });
    expect(status).toBe(200);
    expect(published[0]).toMatchObject({ user_id: 0, anonymous_id: 'anon-2' });
    expect(published[0]).not.toHaveProperty('user_key');
  });

  it('keeps a numeric userId as user_key and as the native user_id, so both APIs list that user', async () => {
    const { published } = await invoke('/v1/identify', { userId: '42', traits: { plan: 'pro' } });
    expect(published[0]).toMatchObject({ user_id: 42, user_key: '42', metadata: { traits: { plan: 'pro' } } });
  });

  it('takes originalTimestamp over timestamp and the batch sentAt for skew correction', async () => {
    const sentAt = new Date(Date.now() - 60_000).toISOString();
    const original = new Date(Date.now() - 70_000).toISOString();
    const { published } = await invoke('/v1/batch', {
      batch: [track({ timestamp: undefined, originalTimestamp: original })],
      sentAt,
    });
    expect(published[0]).toMatchObject({ timestamp: original, sent_at: sentAt });
  });

  it('names a retried call by its write key and messageId, so the retry has the same event_id', async () => {
    const first = await invoke('/v1/batch', { batch: [track()] }, { headers: { authorization: basicAuth('k1') } });
    const again = await invoke('/v1/batch', { batch: [track()] }, { headers: { authorization: basicAuth('k1') } });
    const otherKey = await invoke('/v1/batch', { batch: [track()] }, { headers: { authorization: basicAuth('k2') } });
    expect(again.published[0]?.event_id).toBe(first.published[0]?.event_id);
    expect(otherKey.published[0]?.event_id).not.toBe(first.published[0]?.event_id);
  });

  it('stores the usable calls of a batch, records the others with their reasons and answers 200', async () => {
    const { status, body, published, recorded } = await invoke('/v1/batch', {
      writeKey: 'k1',
      batch: [
        track({ messageId: 'a' }),
        track({ messageId: 'b', event: undefined }),
        track({ messageId: 'c', userId: undefined }),
        'not a call',
        track({ messageId: 'd', writeKey: 'k1', timestamp: '1999-01-01T00:00:00Z' }),
      ],
    });

    expect(status).toBe(200);
    expect(body).toEqual({ success: true, accepted: 1, rejected: 4 });
    expect(published.map((m) => m.metadata?.messageId)).toEqual(['a']);
    expect(recorded.map((r) => [r.messageId, r.reason])).toEqual([
      ['b', 'Segment call 1 cannot be stored: event is required in a track call'],
      ['c', 'Segment call 2 cannot be stored: userId or anonymousId is required'],
      [null, 'Segment call 3 cannot be stored: (event) must be object'],
      ['d', expect.stringMatching(/^Segment call 4 cannot be stored: timestamp /)],
    ]);
    // The raw call is kept, without the write key.
    expect(JSON.parse(recorded[3]?.rawBody ?? '')).not.toHaveProperty('writeKey');
  });

  it('answers 400 when nothing in a batch is usable, and still records every call', async () => {
    const { status, body, published, recorded } = await invoke('/v1/import', {
      batch: [track({ event: undefined }), track({ event: '' })],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, accepted: 0, rejected: 2 });
    expect(body.details).toEqual([
      { field: 'batch[0].event', message: 'is required in a track call' },
      { field: 'batch[1].event', message: 'must NOT have fewer than 1 characters' },
    ]);
    expect(published).toEqual([]);
    expect(recorded).toHaveLength(2);
  });

  it('answers 400 to a single unusable call, saying why', async () => {
    const { status, body } = await invoke('/v1/alias', { userId: 'new' });
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: 'previousId', message: 'is required in an alias call' }]);
  });

  it.each([
    ['no batch', {}, 'batch'],
    ['2,501 calls', { batch: Array.from({ length: 2501 }, () => track()) }, 'batch'],
  ])('answers 400 to a batch with %s', async (_, body, field) => {
    const { status, body: answer, published } = await invoke('/v1/batch', body);
    expect(status).toBe(400);
    expect(answer.details[0].field).toBe(field);
    expect(published).toEqual([]);
  });

  it('records a call over 32 KB inside a small batch and stores the rest', async () => {
    const big = track({ messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } });
    const { status, published, recorded } = await invoke('/v1/batch', { batch: [track(), big] });
    expect(status).toBe(200);
    expect(published).toHaveLength(1);
    expect(recorded[0]?.reason).toMatch(/over Segment's limit of 32768 bytes per call/);
  });

  it('reads a gzip body passed base64-encoded, and refuses one that inflates past the limit with 413', async () => {
    const gzipped = (value: unknown) => gzipSync(Buffer.from(JSON.stringify(value))).toString('base64');
    const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const ok = await invoke('/v1/batch', gzipped({ batch: [track()] }), { headers, isBase64Encoded: true });
    expect(ok.status).toBe(200);

    // rudder-sdk-node labels its gzipped JSON application/x-www-form-urlencoded (axios's label for a Buffer).
    const rudder = { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' };
    const fromRudder = await invoke('/v1/batch', gzipped({ batch: [track()] }), {
      headers: rudder,
      isBase64Encoded: true,
    });
    expect(fromRudder.status).toBe(200);

    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)).toString('base64');
    const refused = await invoke('/v1/batch', bomb, { headers, isBase64Encoded: true });
    expect(refused.status).toBe(413);
  });

  it('reads JSON sent as text/plain, as the browser SDK sends it, and refuses invalid UTF-8 there', async () => {
    const headers = { 'content-type': 'text/plain' };
    expect((await invoke('/v1/track', JSON.stringify(track()), { headers })).status).toBe(200);
    const invalid = await invoke('/v1/track', '{"event":"\uFFFD"}', { headers });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([{ field: '(body)', message: 'is not valid UTF-8' }]);
  });

  describe('with API_KEYS', () => {
    const keys = ['k1'];

    it.each([
      ['the Basic auth user name', { authorization: basicAuth('k1') }, {}],
      ['the body', {}, { writeKey: 'k1' }],
      ['both', { authorization: basicAuth('k1') }, { writeKey: 'k1' }],
      ['a Bearer header, as the native API takes it', { authorization: 'Bearer k1' }, {}],
    ])('accepts the key in %s', async (_, auth, bodyKey) => {
      const headers = { 'content-type': 'application/json', ...auth };
      expect((await invoke('/v1/batch', { batch: [track()], ...bodyKey }, { headers, keys })).status).toBe(200);
    });

    it.each([
      ['no key', {}, {}, 'Missing write key'],
      [
        'a wrong key in the body beside a right one in the header',
        { authorization: basicAuth('k1') },
        { writeKey: 'x' },
      ],
      [
        'a wrong key in the header beside a right one in the body',
        { authorization: basicAuth('x') },
        { writeKey: 'k1' },
      ],
      ['a wrong Bearer key beside a right one in the body', { authorization: 'Bearer x' }, { writeKey: 'k1' }],
      ['an unreadable Authorization header beside a right key', { authorization: 'Digest k1' }, { writeKey: 'k1' }],
      ['a writeKey that is not a string beside a right key', { authorization: basicAuth('k1') }, { writeKey: 1 }],
    ])('answers 401 to %s and publishes nothing', async (_, auth, bodyKey, message = 'Invalid write key') => {
      const headers = { 'content-type': 'application/json', ...auth };
      const {
        status,
        body,
        headers: answer,
        published,
      } = await invoke('/v1/batch', { batch: [track()], ...bodyKey }, { headers, keys });
      expect(status).toBe(401);
      expect(body.message).toContain(message);
      expect(answer?.['WWW-Authenticate']).toBe('Basic realm="user-activity"');
      expect(published).toEqual([]);
    });
  });

  it('answers 503 with Retry-After when the broker does not confirm a call', async () => {
    const { status, headers } = await invoke(
      '/v1/batch',
      { batch: [track({ messageId: 'a' }), track({ messageId: 'b' })] },
      { fails: (m) => (m.metadata?.messageId === 'b' ? new PublishError('no confirm') : undefined) },
    );
    expect(status).toBe(503);
    expect(headers?.['Retry-After']).toBe('5');
  });

  it('answers 503 when the unusable calls cannot be recorded, before publishing anything', async () => {
    const { status, published } = await invoke(
      '/v1/batch',
      { batch: [track(), track({ event: undefined })] },
      { storeFails: true },
    );
    expect(status).toBe(503);
    expect(published).toEqual([]);
  });
});
