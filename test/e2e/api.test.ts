import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../lib/openapi/document.js';
import { eventually } from '../../tools/services.js';
import { seedPayload } from '../factories.js';
import { useOfflineStack } from '../support/offline-stack.js';

/** `env` adds variables such as API_KEYS. */
const startStack = (name: string, env: Record<string, string> = {}) => {
  const stack = useOfflineStack(name, { env });
  const rowsFor = (eventIds: string[]) =>
    stack.database.rows<{ event_id: string }>('SELECT event_id FROM user_activities WHERE event_id IN (?)', [eventIds]);
  return { stack, rowsFor };
};

describe('ingestion and read API through serverless offline', () => {
  const { stack, rowsFor } = startStack('api');

  it('answers a batch of 3 valid and 1 invalid events with 207, and exactly 3 rows appear', async () => {
    const events = ['a', 'b', 'c'].map((event_type) => ({ ...seedPayload, event_type }));
    const response = await stack.offline.post('/api/v1/events/batch', {
      events: [events[0], { ...seedPayload, user_id: -1 }, events[1], events[2]],
    });
    const body = (await response.json()) as { results: Array<{ event_id?: string; status: string }> };

    expect(response.status).toBe(207);
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
    const ids = body.results.flatMap((r) => (r.event_id ? [r.event_id] : []));
    const rows = await eventually(async () => ((await rowsFor(ids)).length === 3 ? rowsFor(ids) : undefined), 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rows).toHaveLength(3);
    expect(await stack.database.rows('SELECT COUNT(*) AS n FROM user_activities')).toEqual([{ n: 3 }]);
  });

  it('stores an event sent 5 times (in batches and singly) once, and reads it back', async () => {
    const event = { ...seedPayload, event_id: randomUUID(), user_id: 4242 };

    const statuses = await Promise.all(
      [
        stack.offline.post('/api/v1/events/batch', { events: [event, event] }),
        stack.offline.post('/api/v1/events/batch', { events: [event] }),
        stack.offline.post('/api/v1/events/track', event),
        stack.offline.post('/api/v1/events/track', event),
      ].map(async (request) => (await request).status),
    );
    expect(statuses).toEqual([202, 202, 202, 202]);
    await eventually(async () => (await rowsFor([event.event_id])).length > 0, 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await rowsFor([event.event_id])).toHaveLength(1);

    const single = await fetch(`${stack.offline.baseUrl}/api/v1/events/${event.event_id}`);
    expect(single.status).toBe(200);
    expect(await single.json()).toMatchObject({
      event_id: event.event_id,
      user_id: 4242,
      event_type: 'login',
      timestamp: '2026-02-19T10:00:00.000Z',
    });

    const list = await fetch(`${stack.offline.baseUrl}/api/v1/users/4242/activities?limit=10`);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ data: [{ event_id: event.event_id }], next_cursor: null });
  });

  it('answers 404 for an unknown event id', async () => {
    const response = await fetch(`${stack.offline.baseUrl}/api/v1/events/${randomUUID()}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ status: 404, error: 'Not Found' });
  });

  it('serves the OpenAPI document at /openapi.json, naming the server it is served from', async () => {
    const response = await fetch(`${stack.offline.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(buildOpenApiDocument(new URL(stack.offline.baseUrl).origin));
  });
});

describe('with API_KEYS and READ_API_KEYS set', () => {
  const writeKey = 'e2e-write-key-0123456789';
  const readKey = 'e2e-read-key-0123456789';
  const { stack, rowsFor } = startStack('keys', { API_KEYS: writeKey, READ_API_KEYS: readKey });

  it('answers 401 without a key and publishes nothing; the right key gets 202 and a row', async () => {
    const refused = { ...seedPayload, event_id: randomUUID() };
    const allowed = { ...seedPayload, event_id: randomUUID() };

    const withoutKey = await stack.offline.post('/api/v1/events/track', refused);
    const wrongKey = await stack.offline.post(
      '/api/v1/events/batch',
      { events: [refused] },
      {
        'content-type': 'application/json',
        authorization: `Bearer ${readKey}`,
      },
    );
    const withKey = await stack.offline.post('/api/v1/events/track', allowed, {
      'content-type': 'application/json',
      authorization: `Bearer ${writeKey}`,
    });

    expect([withoutKey.status, wrongKey.status, withKey.status]).toEqual([401, 401, 202]);
    await eventually(async () => (await rowsFor([allowed.event_id])).length > 0, 5000);
    expect(await rowsFor([refused.event_id])).toEqual([]);
    expect(stack.offline.output).not.toContain(writeKey);
  });

  it('reads only with a read key', async () => {
    const url = `${stack.offline.baseUrl}/api/v1/users/123/activities`;
    const statuses = await Promise.all(
      [
        fetch(url),
        fetch(url, { headers: { authorization: `Bearer ${writeKey}` } }),
        fetch(url, { headers: { authorization: `Bearer ${readKey}` } }),
      ].map(async (request) => (await request).status),
    );
    expect(statuses).toEqual([401, 401, 200]);
  });
});
