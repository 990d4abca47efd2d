import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { memoryRegulationStore } from '../../test/support/memory-regulation-store.js';
import { createReadRegulationsHandler } from './handler.js';

const stocked = async (n: number) => {
  const { store } = memoryRegulationStore();
  for (let i = 0; i < n; i += 1) {
    await store.createRegulation({
      id: randomUUID(),
      regulationType: i % 2 === 0 ? 'SUPPRESS_ONLY' : 'DELETE_ONLY',
      subjectType: 'USER_ID',
      subjectHashes: ['h'],
      requestedBy: 'open',
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    });
  }
  return store;
};

const get = async (
  store: Awaited<ReturnType<typeof stocked>>,
  { path = '/api/v1/regulations', regulateId, query, access = { open: true } as Access } = {} as {
    path?: string;
    regulateId?: string;
    query?: Record<string, string>;
    access?: Access;
  },
) => {
  const event = {
    ...httpEvent({ method: 'GET', path }),
    ...(regulateId === undefined ? {} : { pathParameters: { regulateId } }),
    // serverless-offline passes null where API Gateway leaves the query string out.
    queryStringParameters: query ?? null,
  };
  const response = await createReadRegulationsHandler({ store, access })(event as never, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body) };
};

describe('GET /api/v1/regulations[/{regulateId}] (function level, real middy stack)', () => {
  it('answers one regulation in Segment vocabulary, and 404 for an id it does not know', async () => {
    const store = await stocked(1);
    const [first] = (await store.listRegulations({ limit: 1 })).data;

    const { status, body } = await get(store, { regulateId: first?.id as string });

    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        regulation: {
          id: first?.id,
          regulationType: 'SUPPRESS_ONLY',
          subjectType: 'USER_ID',
          overallStatus: 'FINISHED',
          createdAt: '2026-01-01T00:00:00.000Z',
          finishedAt: '2026-01-01T00:00:00.000Z',
          deleted: { events: 0, failedEvents: 0, deadLetters: 0 },
        },
      },
    });
    expect((await get(store, { regulateId: randomUUID() })).status).toBe(404);
    expect((await get(store, { regulateId: 'not-an-id' })).status).toBe(400);
  });

  it('lists them newest first, a page at a time, until pagination.next is null', async () => {
    const store = await stocked(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query: Record<string, string> = {
        'pagination.count': '2',
        ...(cursor ? { 'pagination.cursor': cursor } : {}),
      };
      const { status, body } = await get(store, { query });
      expect(status).toBe(200);
      seen.push(...body.data.regulations.map((r: { createdAt: string }) => r.createdAt));
      cursor = body.data.pagination.next ?? undefined;
      pages += 1;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(new Set(seen).size).toBe(5);
  });

  it.each([
    [{ 'pagination.count': '0' }],
    [{ 'pagination.count': '101' }],
    [{ 'pagination.cursor': 'abc' }],
    [{ page: '2' }],
  ])('answers 400 to the query %j', async (query) => {
    expect((await get(await stocked(1), { query })).status).toBe(400);
  });

  it('answers 401 without an admin key once keys are configured', async () => {
    const access: Access = { open: false, keys: ['admin-key-0123456789'] };
    expect((await get(await stocked(1), { access })).status).toBe(401);
  });
});
