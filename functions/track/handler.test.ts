import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../lib/errors.js';
import type { Access } from '../../lib/http/access.js';
import { httpEvent, lambdaContext, seedPayload } from '../../test/factories.js';
import { recordingPublisher, testIntake } from '../../test/support/recording-publisher.js';
import { createTrackHandler } from './handler.js';

const invoke = async (event: ReturnType<typeof httpEvent>, failure?: Error, access?: Access) => {
  const { published, publisher } = recordingPublisher(() => failure);
  const handler = createTrackHandler({
    intake: testIntake(publisher),
    maxBodyBytes: 32 * 1024,
    ...(access ? { access } : {}),
  });
  const response = await handler(event as never, lambdaContext());
  return { response, body: JSON.parse(response.body), published };
};

const valid = { user_id: 1, event_type: 'click', timestamp: '2026-02-19T10:00:00Z' };

describe('track (function level, real middy stack)', () => {
  it('answers 202 with an event_id for the seed payload and publishes it normalised to UTC', async () => {
    const { response, body, published } = await invoke(httpEvent({ body: seedPayload }));

    expect(response.statusCode).toBe(202);
    expect(body).toEqual({ status: 'accepted', event_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(published).toEqual([
      {
        event_id: body.event_id,
        user_id: 123,
        event_type: 'login',
        timestamp: '2026-02-19T10:00:00.000Z',
        metadata: { browser: 'Chrome', ip: '192.168.1.1' },
        received_at: expect.any(String),
      },
    ]);
  });

  it('keeps a client-supplied event_id (lower-cased) as the idempotency key', async () => {
    const eventId = 'A1B2C3D4-0000-4000-8000-00000000000A';
    const { body, published } = await invoke(httpEvent({ body: { ...valid, event_id: eventId } }));
    expect(body.event_id).toBe(eventId.toLowerCase());
    expect(published[0]?.event_id).toBe(eventId.toLowerCase());
  });

  it('converts a timestamp with an offset to UTC', async () => {
    const { published } = await invoke(httpEvent({ body: { ...valid, timestamp: '2026-02-19T12:30:00.5+02:30' } }));
    expect(published[0]?.timestamp).toBe('2026-02-19T10:00:00.500Z');
  });

  it.each([
    ['user_id as a string', { ...valid, user_id: '1' }, 'user_id', 'must be integer'],
    ['user_id as a float', { ...valid, user_id: 1.5 }, 'user_id', 'must be integer'],
    ['user_id of 0', { ...valid, user_id: 0 }, 'user_id', 'must be >= 1'],
    ['user_id above 2^53-1', { ...valid, user_id: 2 ** 53 }, 'user_id', 'must be <= 9007199254740991'],
    ['empty event_type', { ...valid, event_type: '' }, 'event_type', 'must NOT have fewer than 1 characters'],
    [
      '65-character event_type',
      { ...valid, event_type: 'x'.repeat(65) },
      'event_type',
      'must NOT have more than 64 characters',
    ],
    ...[
      ['a C0 control', 'a\u0000b'],
      ['a C1 control', 'a\u0085b'],
      ['a bidi override', 'nigol\u202E'],
      ['a zero-width space', 'log\u200Bin'],
      ['a byte-order mark', '\uFEFFlogin'],
      ['a lone surrogate', 'login\uD800'],
    ].map(([what, eventType]): [string, object, string, string] => [
      `${what} in event_type`,
      { ...valid, event_type: eventType },
      'event_type',
      'must not contain control, bidirectional, zero-width or unpaired surrogate characters',
    ]),
    [
      'timestamp that is not a date',
      { ...valid, timestamp: 'yesterday' },
      'timestamp',
      'must match format "iso8601-date-time"',
    ],
    [
      'timestamp on 30 February',
      { ...valid, timestamp: '2026-02-30T10:00:00' },
      'timestamp',
      'must match format "iso8601-date-time"',
    ],
    // ajv-formats' looser "iso-date-time" accepted these, and the handler then failed on them with a 500.
    [
      'timestamp with a space for the T',
      { ...valid, timestamp: '2026-02-19 10:00:00' },
      'timestamp',
      'must match format "iso8601-date-time"',
    ],
    [
      'timestamp in lower case',
      { ...valid, timestamp: '2026-02-19t10:00:00z' },
      'timestamp',
      'must match format "iso8601-date-time"',
    ],
    [
      'timestamp with a leap second',
      { ...valid, timestamp: '2026-02-19T23:59:60Z' },
      'timestamp',
      'must match format "iso8601-date-time"',
    ],
    [
      'sent_at with a space for the T',
      { ...valid, sent_at: '2026-02-19 10:00:00' },
      'sent_at',
      'must match format "iso8601-date-time"',
    ],
    [
      'timestamp before 2000',
      { ...valid, timestamp: '1999-12-31T23:59:59Z' },
      'timestamp',
      'must not be before 2000-01-01T00:00:00Z',
    ],
    [
      'timestamp over 24 h ahead',
      { ...valid, timestamp: '2999-01-01T00:00:00Z' },
      'timestamp',
      'must not be more than 24 hours in the future',
    ],
    [
      'event_id that is not a UUID',
      { ...valid, event_id: 'abc' },
      'event_id',
      'must be a UUID (8-4-4-4-12 hexadecimal digits)',
    ],
    // ajv-formats' "uuid" accepts this prefix, and such an id could never fit the CHAR(36) column.
    [
      'event_id with a urn:uuid: prefix',
      { ...valid, event_id: `urn:uuid:${randomUUID()}` },
      'event_id',
      'must be a UUID (8-4-4-4-12 hexadecimal digits)',
    ],
    ['metadata that is an array', { ...valid, metadata: [1] }, 'metadata', 'must be object'],
    ['an unknown field', { ...valid, extra: true }, 'extra', 'is not an allowed field'],
    [
      'a missing user_id',
      { event_type: 'a', timestamp: valid.timestamp },
      'user_id',
      "must have required property 'user_id'",
    ],
  ])('answers 400 for %s', async (_case, payload, field, message) => {
    const { response, body, published } = await invoke(httpEvent({ body: payload }));

    expect(response.statusCode).toBe(400);
    expect(body).toMatchObject({ status: 400, error: 'Bad Request', message: 'Validation failed' });
    expect(body.details).toContainEqual({ field, message });
    expect(published).toEqual([]);
  });

  it('lists every failing field, not only the first', async () => {
    const { body } = await invoke(httpEvent({ body: { user_id: -1, event_type: 7, extra: 1 } }));
    expect(body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'event_type',
      'extra',
      'timestamp',
      'user_id',
    ]);
  });

  it('rejects metadata nested deeper than 10 levels and accepts 10', async () => {
    const nest = (levels: number): object => (levels === 1 ? { leaf: 1 } : { n: nest(levels - 1) });
    const ok = await invoke(httpEvent({ body: { ...valid, metadata: nest(10) } }));
    const tooDeep = await invoke(httpEvent({ body: { ...valid, metadata: nest(11) } }));

    expect(ok.response.statusCode).toBe(202);
    expect(tooDeep.response.statusCode).toBe(400);
    expect(tooDeep.body.details[0].message).toBe('must not nest objects or arrays more than 10 levels deep');
  });

  it('rejects __proto__ keys in metadata and publishes nothing', async () => {
    const { response, body, published } = await invoke(
      httpEvent({
        body: `{"user_id":1,"event_type":"a","timestamp":"2026-02-19T10:00:00Z","metadata":{"__proto__":{"admin":true}}}`,
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(body.details).toEqual([
      {
        field: 'metadata.__proto__',
        message: 'must not use the reserved key names __proto__, constructor or prototype',
      },
    ]);
    expect(published).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"user_id":', 'is not valid JSON: Unexpected end of JSON input'],
    ['an empty body', '', 'is empty'],
    ['no body', undefined, 'is empty'],
  ])('answers 400 for %s', async (_case, raw, detail) => {
    const { response, body } = await invoke(httpEvent({ body: raw }));
    expect(response.statusCode).toBe(400);
    expect(body).toEqual({
      status: 400,
      error: 'Bad Request',
      message: 'Malformed JSON request body',
      details: [{ field: '(body)', message: detail }],
    });
  });

  it.each([
    ['invalid UTF-8 bytes (base64 body)', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64'), true],
    [
      'U+FFFD left by a gateway that decoded invalid bytes',
      '{"user_id":1,"event_type":"\uFFFD","timestamp":"2026-02-19T10:00:00Z"}',
      false,
    ],
  ])('answers 400 for %s', async (_case, body, isBase64Encoded) => {
    const { response, body: answer, published } = await invoke(httpEvent({ body, isBase64Encoded }));
    expect(response.statusCode).toBe(400);
    expect(answer).toMatchObject({
      message: 'Request body is not valid UTF-8',
      details: [{ field: '(body)', message: 'is not valid UTF-8' }],
    });
    expect(published).toEqual([]);
  });

  it('accepts U+FFFD when the client escapes it in JSON', async () => {
    const { response, published } = await invoke(
      httpEvent({ body: '{"user_id":1,"event_type":"\\ufffd","timestamp":"2026-02-19T10:00:00Z"}' }),
    );
    expect(response.statusCode).toBe(202);
    expect(published[0]?.event_type).toBe('\uFFFD');
  });

  it('answers 400 for the null body serverless-offline passes for an empty request', async () => {
    const { response, body } = await invoke({ ...httpEvent(), body: null } as never);
    expect(response.statusCode).toBe(400);
    expect(body.details).toEqual([{ field: '(body)', message: 'is empty' }]);
  });

  it('answers 400 for an array body', async () => {
    const { response, body } = await invoke(httpEvent({ body: [valid] }));
    expect(response.statusCode).toBe(400);
    expect(body.details).toEqual([{ field: '(body)', message: 'must be object' }]);
  });

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }, '"text/plain"'],
    ['no Content-Type', {}, 'none'],
    ['application/jsonp', { 'content-type': 'application/jsonp' }, '"application/jsonp"'],
  ])('answers 415 for %s', async (_case, headers, got) => {
    const { response, body, published } = await invoke(httpEvent({ body: valid, headers }));
    expect(response.statusCode).toBe(415);
    expect(body).toMatchObject({
      status: 415,
      error: 'Unsupported Media Type',
      message: `Content-Type must be application/json (got ${got})`,
    });
    expect(published).toEqual([]);
  });

  it.each(['APPLICATION/JSON', 'application/json; charset=utf-8', 'application/vnd.api+json'])(
    'accepts Content-Type %s',
    async (contentType) => {
      const { response } = await invoke(httpEvent({ body: valid, headers: { 'content-type': contentType } }));
      expect(response.statusCode).toBe(202);
    },
  );

  it('answers 413 stating the limit when the body is over 32 KB', async () => {
    const { response, body, published } = await invoke(
      httpEvent({ body: { ...valid, metadata: { blob: 'x'.repeat(33 * 1024) } } }),
    );
    expect(response.statusCode).toBe(413);
    expect(body).toEqual({
      status: 413,
      error: 'Payload Too Large',
      message: 'Request body must not exceed 32768 bytes (32 KB)',
      details: [],
    });
    expect(published).toEqual([]);
  });

  it('counts base64-encoded bodies by their decoded size', async () => {
    const raw = Buffer.from(JSON.stringify(valid)).toString('base64');
    const { response } = await invoke(httpEvent({ body: raw, isBase64Encoded: true }));
    expect(response.statusCode).toBe(202);
  });

  it('answers 503 with Retry-After when the broker does not confirm', async () => {
    const { response, body } = await invoke(
      httpEvent({ body: valid }),
      new PublishError('The message broker is unreachable'),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '5', 'Content-Type': 'application/json' });
    expect(body).toEqual({
      status: 503,
      error: 'Service Unavailable',
      message: 'The message broker is unreachable',
      details: [],
    });
  });

  it('keeps sent_at and checks the window on the skew-corrected time', async () => {
    const now = Date.now();
    // A device clock 3 days fast: its timestamp is "in the future", but sent_at shows by how much.
    const fast = 3 * 24 * 3600 * 1000;
    const payload = {
      ...valid,
      timestamp: new Date(now + fast - 60_000).toISOString(),
      sent_at: new Date(now + fast).toISOString(),
    };

    const { response, published } = await invoke(httpEvent({ body: payload }));

    expect(response.statusCode).toBe(202);
    expect(published[0]?.sent_at).toBe(payload.sent_at);
  });

  it('explains a window failure that remains after skew correction', async () => {
    const payload = { ...valid, timestamp: '1999-01-01T00:00:00Z', sent_at: new Date().toISOString() };
    const { response, body } = await invoke(httpEvent({ body: payload }));
    expect(response.statusCode).toBe(400);
    expect(body.details).toEqual([
      {
        field: 'timestamp',
        message: 'must not be before 2000-01-01T00:00:00Z (after correcting the client clock by sent_at)',
      },
    ]);
  });

  describe('with API keys configured', () => {
    const access: Access = { open: false, keys: ['k-0123456789abcdef', 'k-fedcba9876543210'] };

    it.each([
      ['no Authorization header', {}, 'Missing API key: send Authorization: Bearer <key>'],
      ['a wrong key', { authorization: 'Bearer k-0123456789abcdeX' }, 'Invalid API key'],
      ['a Basic credential', { authorization: 'Basic azpr' }, 'Missing API key: send Authorization: Bearer <key>'],
    ])('answers 401 for %s and publishes nothing', async (_case, auth, message) => {
      const { response, body, published } = await invoke(
        httpEvent({ body: valid, headers: { 'content-type': 'application/json', ...auth } }),
        undefined,
        access,
      );
      expect(response.statusCode).toBe(401);
      expect(response.headers).toMatchObject({ 'WWW-Authenticate': 'Bearer realm="user-activity"' });
      expect(body).toEqual({ status: 401, error: 'Unauthorized', message, details: [] });
      expect(published).toEqual([]);
    });

    it('accepts any configured key', async () => {
      const { response } = await invoke(
        httpEvent({
          body: valid,
          headers: { 'content-type': 'application/json', authorization: 'Bearer k-fedcba9876543210' },
        }),
        undefined,
        access,
      );
      expect(response.statusCode).toBe(202);
    });
  });

  it('answers 500 without internals when something unexpected fails', async () => {
    const { response, body } = await invoke(httpEvent({ body: valid }), new TypeError('boom at /secret/path'));
    expect(response.statusCode).toBe(500);
    expect(body).toEqual({
      status: 500,
      error: 'Internal Server Error',
      message: 'An unexpected error occurred',
      details: [],
    });
  });
});
