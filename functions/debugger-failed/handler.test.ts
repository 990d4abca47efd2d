import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import type { DebuggerReader, IdWindow, StoredFailedEvent } from '../../lib/ports.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { createDebuggerFailedHandler } from './handler.js';

const failed: StoredFailedEvent = {
  id: 7,
  stored_at: '2026-02-19T10:00:01.234Z',
  message_id: null,
  reason: 'message body is not JSON: Unexpected token',
  raw_body: 'not json',
};

const invoke = async (query: Record<string, string> | null, headers: Record<string, string> = {}, access?: Access) => {
  const windows: IdWindow[] = [];
  const reader: DebuggerReader = {
    listEvents: async () => [],
    listFailedEvents: async (window) => {
      windows.push(window);
      return [failed];
    },
  };
  const handler = createDebuggerFailedHandler({ reader, ...(access ? { access } : {}) });
  const event = {
    ...httpEvent({ method: 'GET', path: '/api/v1/debugger/failed', headers }),
    queryStringParameters: query,
  };
  const response = await handler(event as never, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body), windows };
};

describe('debugger failed events (function level, real middy stack)', () => {
  it('answers the failed events below `before`, with reason and raw body', async () => {
    const { status, body, windows } = await invoke({ before: '8', limit: '50' });

    expect(status).toBe(200);
    expect(body).toEqual({ data: [failed] });
    expect(windows).toEqual([{ before: 8, limit: 50 }]);
  });

  it('answers 400 for a limit over 500', async () => {
    const { status, body } = await invoke({ limit: '1000' });
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: 'limit', message: 'must be an integer from 1 to 500' }]);
  });

  it('answers 401 with a wrong read key', async () => {
    const access: Access = { open: false, keys: ['debugger-read-key-0123'] };
    const { status, body, windows } = await invoke(null, { authorization: 'Bearer not-the-key-0123456' }, access);

    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 401, message: 'Invalid API key' });
    expect(windows).toEqual([]);
  });
});
