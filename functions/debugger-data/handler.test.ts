import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import { DEBUGGER_ANSWER_MAX_BYTES } from '../../lib/http/debugger-schemas.js';
import type {
  DebuggerEventPreview,
  DebuggerReader,
  FailedEventPreview,
  IdWindow,
  StoredFailedEvent,
} from '../../lib/ports.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { createDebuggerDataHandler } from './handler.js';

const stored: DebuggerEventPreview = {
  id: 41,
  stored_at: '2026-02-19T10:00:01.234Z',
  event_id: '3f0c7f8e-5b1d-4c36-9a53-0e6c2f4b7d21',
  user_id: 123,
  event_type: 'login',
  timestamp: '2026-02-19T10:00:00.000Z',
  received_at: '2026-02-19T10:00:00.500Z',
  sent_at: null,
  corrected_at: null,
  metadata_preview: '{"browser":"Chrome"}',
  truncated: false,
};

const failed: FailedEventPreview = {
  id: 7,
  stored_at: '2026-02-19T10:00:01.234Z',
  message_id: null,
  reason_preview: 'message body is not JSON (error at position 0)',
  raw_body_preview: 'not json',
  truncated: false,
};

const failedWhole: StoredFailedEvent = {
  id: 7,
  stored_at: '2026-02-19T10:00:01.234Z',
  message_id: null,
  reason: 'message body is not JSON (error at position 0)',
  raw_body: `not json ${'x'.repeat(5000)}`,
};

/** A row as large as a preview row can be: identities of 255 characters, a preview of 4-byte characters. */
const largest = (id: number): DebuggerEventPreview => ({
  ...stored,
  id,
  user_key: 'u'.repeat(255),
  anonymous_id: 'a'.repeat(255),
  metadata_preview: '😀'.repeat(200),
  truncated: true,
});

const invoke = async (
  query: Record<string, string> | null,
  {
    headers = {},
    access,
    path = '/api/v1/debugger/events',
    pathParameters,
    rows = [stored],
  }: {
    headers?: Record<string, string>;
    access?: Access;
    path?: string;
    pathParameters?: Record<string, string>;
    rows?: DebuggerEventPreview[];
  } = {},
) => {
  const reads: Array<[string, IdWindow | number]> = [];
  const reader: DebuggerReader = {
    listEvents: async (window) => {
      reads.push(['events', window]);
      return rows.slice(0, window.limit);
    },
    listFailedEvents: async (window) => {
      reads.push(['failed', window]);
      return [failed];
    },
    findFailedEvent: async (id) => {
      reads.push(['failed/{id}', id]);
      return id === failedWhole.id ? failedWhole : undefined;
    },
  };
  const handler = createDebuggerDataHandler({ reader, ...(access ? { access } : {}) });
  const event = {
    ...httpEvent({ method: 'GET', path, headers }),
    queryStringParameters: query,
    ...(pathParameters ? { pathParameters } : {}),
  };
  const response = await handler(event as never, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body), reads };
};

describe('debugger data (function level, real middy stack)', () => {
  it('answers the newest stored events, 100 by default, reading one more to know whether there are more', async () => {
    const { status, body, reads } = await invoke(null);

    expect(status).toBe(200);
    expect(body).toEqual({ data: [stored], more: false });
    expect(reads).toEqual([['events', { limit: 101 }]]);
  });

  it('reads the window the page asks for: after its cursor, below `before`, and the ids it is missing', async () => {
    const { reads } = await invoke({ after: '40', before: '900', limit: '500', missing: '5-7,12,20-20' });
    expect(reads).toEqual([
      [
        'events',
        {
          after: 40,
          before: 900,
          limit: 501,
          missing: [
            { from: 5, to: 7 },
            { from: 12, to: 12 },
            { from: 20, to: 20 },
          ],
        },
      ],
    ]);
  });

  it('says there are more when the reader has one row beyond the limit', async () => {
    const rows = [41, 40, 39].map((id) => ({ ...stored, id }));
    const { body } = await invoke({ limit: '2' }, { rows });
    expect(body).toEqual({ data: rows.slice(0, 2), more: true });
  });

  it(`stops adding rows before the answer would pass ${DEBUGGER_ANSWER_MAX_BYTES} bytes, and says there are more`, async () => {
    const rows = Array.from({ length: 501 }, (_, i) => largest(1000 - i));

    const { status, body, reads } = await invoke({ limit: '500' }, { rows });
    const bytes = Buffer.byteLength(JSON.stringify(body));

    expect(status).toBe(200);
    expect(bytes).toBeLessThanOrEqual(DEBUGGER_ANSWER_MAX_BYTES);
    expect(body.more).toBe(true);
    expect(body.data).toEqual(rows.slice(0, body.data.length));
    expect(body.data.length).toBeGreaterThan(100);
    expect(reads).toHaveLength(1);
  });

  it.each([
    ['limit 0', { limit: '0' }, 'limit', 'must be an integer from 1 to 500'],
    ['limit 501', { limit: '501' }, 'limit', 'must be an integer from 1 to 500'],
    [
      'after that is not a number',
      { after: 'abc' },
      'after',
      'must be a row id (an integer from 0 to 999999999999999)',
    ],
    [
      'before beyond 15 digits',
      { before: '9'.repeat(16) },
      'before',
      'must be a row id (an integer from 0 to 999999999999999)',
    ],
    [
      'missing ids that are not ranges',
      { after: '9', missing: '1-2,x' },
      'missing',
      'must be up to 20 row ids or from-to ranges of them, comma separated',
    ],
    [
      'more than 20 missing ranges',
      { after: '99', missing: Array.from({ length: 21 }, (_, i) => String(i)).join(',') },
      'missing',
      'must be up to 20 row ids or from-to ranges of them, comma separated',
    ],
    ['an unknown parameter', { offset: '10' }, 'offset', 'is not an allowed field'],
  ])('answers 400 for %s and reads nothing', async (_case, query, field, message) => {
    const { status, body, reads } = await invoke(query);

    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, message: 'Validation failed' });
    expect(body.details).toContainEqual({ field, message });
    expect(reads).toEqual([]);
  });

  it('answers 401 without a read key when keys are configured, as the read API does', async () => {
    const access: Access = { open: false, keys: ['debugger-read-key-0123'] };

    const refused = await invoke(null, { access });
    const allowed = await invoke(null, { headers: { authorization: 'Bearer debugger-read-key-0123' }, access });

    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      status: 401,
      error: 'Unauthorized',
      message: 'Missing API key: send Authorization: Bearer <key>',
      details: [],
    });
    expect(refused.reads).toEqual([]);
    expect(allowed.status).toBe(200);
  });

  it('answers the failed events below `before` on /failed, with previews of their reason and raw body', async () => {
    const { status, body, reads } = await invoke({ before: '8', limit: '50' }, { path: '/api/v1/debugger/failed' });

    expect(status).toBe(200);
    expect(body).toEqual({ data: [failed], more: false });
    expect(reads).toEqual([['failed', { before: 8, limit: 51 }]]);
  });

  it('answers one failed event whole on /failed/{id}, and 404 for an id it does not have', async () => {
    const found = await invoke(null, { path: '/api/v1/debugger/failed/7', pathParameters: { id: '7' } });
    const missing = await invoke(null, { path: '/api/v1/debugger/failed/8', pathParameters: { id: '8' } });
    const invalid = await invoke(null, { path: '/api/v1/debugger/failed/x', pathParameters: { id: 'x' } });

    expect(found.status).toBe(200);
    expect(found.body).toEqual(failedWhole);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, message: 'No failed event with id 8' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([
      { field: 'id', message: 'must be a row id (an integer from 0 to 999999999999999)' },
    ]);
    expect([...found.reads, ...missing.reads, ...invalid.reads]).toEqual([
      ['failed/{id}', 7],
      ['failed/{id}', 8],
    ]);
  });

  it('checks the key and the query of /failed and /failed/{id} as of /events', async () => {
    const access: Access = { open: false, keys: ['debugger-read-key-0123'] };
    const wrongKey = { headers: { authorization: 'Bearer not-the-key-0123456' }, access };
    const listWithWrongKey = await invoke(null, { ...wrongKey, path: '/api/v1/debugger/failed' });
    const oneWithWrongKey = await invoke(null, {
      ...wrongKey,
      path: '/api/v1/debugger/failed/7',
      pathParameters: { id: '7' },
    });
    const overLimit = await invoke({ limit: '1000' }, { path: '/api/v1/debugger/failed' });

    expect(listWithWrongKey.status).toBe(401);
    expect(listWithWrongKey.body).toMatchObject({ status: 401, message: 'Invalid API key' });
    expect(oneWithWrongKey.status).toBe(401);
    expect(overLimit.status).toBe(400);
    expect(overLimit.body.details).toEqual([{ field: 'limit', message: 'must be an integer from 1 to 500' }]);
    expect([...listWithWrongKey.reads, ...oneWithWrongKey.reads, ...overLimit.reads]).toEqual([]);
  });
});
