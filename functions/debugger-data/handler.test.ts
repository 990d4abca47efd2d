import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import type { DebuggerEvent, DebuggerReader, IdWindow, StoredFailedEvent } from '../../lib/ports.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { createDebuggerDataHandler } from './handler.js';

const stored: DebuggerEvent = {
  id: 41,
  stored_at: '2026-02-19T10:00:01.234Z',
  event_id: '3f0c7f8e-5b1d-4c36-9a53-0e6c2f4b7d21',
  user_id: 123,
  event_type: 'login',
  timestamp: '2026-02-19T10:00:00.000Z',
  received_at: '2026-02-19T10:00:00.500Z',
  sent_at: null,
  corrected_at: null,
  metadata: { browser: 'Chrome' },
};

const failed: StoredFailedEvent = {
  id: 7,
  stored_at: '2026-02-19T10:00:01.234Z',
  message_id: null,
  reason: 'message body is not JSON: Unexpected token',
  raw_body: 'not json',
};

const invoke = async (
  query: Record<string, string> | null,
  headers: Record<string, string> = {},
  access?: Access,
  list: 'events' | 'failed' = 'events',
) => {
  const windows: Array<[string, IdWindow]> = [];
  const reader: DebuggerReader = {
    listEvents: async (window) => {
      windows.push(['events', window]);
      return [stored];
    },
    listFailedEvents: async (window) => {
      windows.push(['failed', window]);
      return [failed];
    },
  };
  const handler = createDebuggerDataHandler({ reader, ...(access ? { access } : {}) });
  const event = {
    ...httpEvent({ method: 'GET', path: `/api/v1/debugger/${list}`, headers }),
    queryStringParameters: query,
  };
  const response = await handler(event as never, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body), windows };
};

describe('debugger data (function level, real middy stack)', () => {
  it('answers the newest stored events, 100 by default', async () => {
    const { status, body, windows } = await invoke(null);

    expect(status).toBe(200);
    expect(body).toEqual({ data: [stored] });
    expect(windows).toEqual([['events', { limit: 100 }]]);
  });

  it('reads the window the page asks for', async () => {
    const { windows } = await invoke({ after: '40', before: '900', limit: '500' });
    expect(windows).toEqual([['events', { after: 40, before: 900, limit: 500 }]]);
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
    ['an unknown parameter', { offset: '10' }, 'offset', 'is not an allowed field'],
  ])('answers 400 for %s and reads nothing', async (_case, query, field, message) => {
    const { status, body, windows } = await invoke(query);

    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, message: 'Validation failed' });
    expect(body.details).toContainEqual({ field, message });
    expect(windows).toEqual([]);
  });

  it('answers 401 without a read key when keys are configured, as the read API does', async () => {
    const access: Access = { open: false, keys: ['debugger-read-key-0123'] };

    const refused = await invoke(null, {}, access);
    const allowed = await invoke(null, { authorization: 'Bearer debugger-read-key-0123' }, access);

    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      status: 401,
      error: 'Unauthorized',
      message: 'Missing API key: send Authorization: Bearer <key>',
      details: [],
    });
    expect(refused.windows).toEqual([]);
    expect(allowed.status).toBe(200);
  });

  it('answers the failed events below `before` on /failed, with reason and raw body', async () => {
    const { status, body, windows } = await invoke({ before: '8', limit: '50' }, {}, undefined, 'failed');

    expect(status).toBe(200);
    expect(body).toEqual({ data: [failed] });
    expect(windows).toEqual([['failed', { before: 8, limit: 50 }]]);
  });

  it('checks the key and the query of /failed as of /events', async () => {
    const access: Access = { open: false, keys: ['debugger-read-key-0123'] };
    const wrongKey = await invoke(null, { authorization: 'Bearer not-the-key-0123456' }, access, 'failed');
    const overLimit = await invoke({ limit: '1000' }, {}, undefined, 'failed');

    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toMatchObject({ status: 401, message: 'Invalid API key' });
    expect(overLimit.status).toBe(400);
    expect(overLimit.body.details).toEqual([{ field: 'limit', message: 'must be an integer from 1 to 500' }]);
    expect([...wrongKey.windows, ...overLimit.windows]).toEqual([]);
  });
});
