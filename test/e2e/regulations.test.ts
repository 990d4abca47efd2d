import { describe, expect, it } from 'vitest';
import { useOfflineStack } from '../support/offline-stack.js';

const WRITE_KEY = 'write-key-regulations-0123';
const READ_KEY = 'read-key-regulations-0123';
const ADMIN_KEY = 'admin-key-regulations-0123';
const bearer = (key: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

/** Issue 19, "Done when": hostile input to the regulations API, a precise 4xx each and nothing changed. */
describe('the regulations API through serverless offline (all three kinds of key set)', () => {
  const stack = useOfflineStack('regulations', {
    env: { API_KEYS: WRITE_KEY, READ_API_KEYS: READ_KEY, ADMIN_API_KEYS: ADMIN_KEY },
  });
  const regulationRows = async () => (await stack.database.rows('SELECT id FROM regulations')).length;
  const post = (body: object, key = ADMIN_KEY) => stack.offline.post('/api/v1/regulations', body, bearer(key));
  const valid = { regulationType: 'SUPPRESS_ONLY', subjectType: 'USER_ID', subjectIds: ['mallory@example.com'] };

  it.each([
    ['no key', {}],
    ['a write key', { authorization: `Bearer ${WRITE_KEY}` }],
    ['a read key', { authorization: `Bearer ${READ_KEY}` }],
  ])('answers 401 to %s on every route and records nothing', async (_case, auth) => {
    const headers = { 'content-type': 'application/json', ...auth };
    expect((await stack.offline.post('/api/v1/regulations', valid, headers)).status).toBe(401);
    const base = stack.offline.baseUrl;
    expect((await fetch(`${base}/api/v1/regulations`, { headers })).status).toBe(401);
    expect((await fetch(`${base}/api/v1/regulations/${crypto.randomUUID()}`, { headers })).status).toBe(401);
    expect(await regulationRows()).toBe(0);
  });

  it.each([
    ['5,001 ids', { subjectIds: Array.from({ length: 5001 }, (_, i) => `user-${i}`) }, 'subjectIds'],
    ['an empty id', { subjectIds: [''] }, 'subjectIds.0'],
    ['a 10 KB id', { subjectIds: ['x'.repeat(10 * 1024)] }, 'subjectIds.0'],
    ['an unknown type', { regulationType: 'ERASE' }, 'regulationType'],
  ])('answers 400 to %s with the admin key, naming the field, and records nothing', async (_case, change, field) => {
    const response = await post({ ...valid, ...change });
    const body = (await response.json()) as { details: Array<{ field: string }> };

    expect(response.status).toBe(400);
    expect(body.details.map((detail) => detail.field)).toContain(field);
    expect(await regulationRows()).toBe(0);
  });

  it('records a regulation, answers its status and lists it, and keeps only hashes of the subject', async () => {
    const created = await post(valid);
    expect(created.status).toBe(200);
    const { data } = (await created.json()) as { data: { regulateId: string } };

    const one = await fetch(`${stack.offline.baseUrl}/api/v1/regulations/${data.regulateId}`, {
      headers: bearer(ADMIN_KEY),
    });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      data: { regulation: { id: data.regulateId, regulationType: 'SUPPRESS_ONLY', overallStatus: 'FINISHED' } },
    });
    const list = await fetch(`${stack.offline.baseUrl}/api/v1/regulations`, { headers: bearer(ADMIN_KEY) });
    expect(await list.json()).toMatchObject({
      data: { regulations: [{ id: data.regulateId }], pagination: { next: null } },
    });
    for (const table of ['regulations', 'regulation_subjects', 'suppressions']) {
      expect(JSON.stringify(await stack.database.rows(`SELECT * FROM ${table}`))).not.toContain('mallory');
    }
    const [audit] = await stack.database.rows('SELECT requested_by FROM regulations');
    expect(audit).toEqual({ requested_by: 'ADMIN_API_KEYS #1' });
    expect(stack.offline.output).not.toContain(ADMIN_KEY);
    expect(stack.offline.output).not.toContain('mallory');
  });
});
