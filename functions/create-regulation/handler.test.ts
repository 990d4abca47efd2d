import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import { subjectHash } from '../../lib/privacy/subject-hash.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { memoryRegulationStore } from '../../test/support/memory-regulation-store.js';
import { createCreateRegulationHandler } from './handler.js';

const SECRET = 'regulation-test-secret';
const ADMIN_KEY = 'admin-key-0123456789';
const T = new Date('2026-12-07T12:00:00.000Z');

const post = async (body: unknown, { access = { open: true } as Access, headers = {} } = {}) => {
  const { store, created } = memoryRegulationStore();
  const handler = createCreateRegulationHandler({ store, secret: SECRET, access, now: () => T });
  const event = httpEvent({
    path: '/api/v1/regulations',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const response = await handler(event as never, lambdaContext());
  return { status: response.statusCode, body: JSON.parse(response.body), created };
};

const valid = { regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'USER_ID', subjectIds: ['victim', 'victim '] };

describe('POST /api/v1/regulations (function level, real middy stack)', () => {
  it('answers the regulateId and records the subjects as keyed hashes only, each id exactly as sent', async () => {
    const { status, body, created } = await post(valid);

    expect(status).toBe(200);
    expect(body).toEqual({ data: { regulateId: created[0]?.id } });
    expect(created).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        regulationType: 'SUPPRESS_WITH_DELETE',
        subjectType: 'USER_ID',
        subjectHashes: [subjectHash(SECRET, 'USER_ID', 'victim'), subjectHash(SECRET, 'USER_ID', 'victim ')],
        requestedBy: 'open',
        createdAt: T,
        // T is read again once the store holds its locks (lib/ports.ts, NewRegulation.clock).
        clock: expect.any(Function),
      },
    ]);
    expect(JSON.stringify(created)).not.toContain('victim');
  });

  it('hashes a repeated id once and tells a user id from an anonymous id', async () => {
    const { created } = await post({ ...valid, subjectType: 'ANONYMOUS_ID', subjectIds: ['a', 'a'] });
    expect(created[0]?.subjectHashes).toEqual([subjectHash(SECRET, 'ANONYMOUS_ID', 'a')]);
    expect(subjectHash(SECRET, 'ANONYMOUS_ID', 'a')).not.toBe(subjectHash(SECRET, 'USER_ID', 'a'));
  });

  it.each([
    [
      '5,001 ids',
      { subjectIds: Array.from({ length: 5001 }, (_, i) => `u${i}`) },
      'subjectIds',
      'must name at most 5000 subjects',
    ],
    ['no ids', { subjectIds: [] }, 'subjectIds', 'must name at least 1 subject'],
    ['an empty id', { subjectIds: ['ok', ''] }, 'subjectIds.1', 'must not be empty'],
    [
      'a 10 KB id',
      { subjectIds: ['x'.repeat(10 * 1024)] },
      'subjectIds.0',
      'must be at most 255 characters, as the ids of stored events are',
    ],
    ['an id that is not text', { subjectIds: [42] }, 'subjectIds.0', 'must be string'],
    [
      'a control character',
      { subjectIds: ['a\u0000'] },
      'subjectIds.0',
      expect.stringMatching(/^must not contain control/),
    ],
    [
      'an unknown regulation type',
      { regulationType: 'DELETE_EVERYTHING' },
      'regulationType',
      'must be one of SUPPRESS_WITH_DELETE, SUPPRESS_ONLY, DELETE_ONLY, UNSUPPRESS',
    ],
    ['an unknown subject type', { subjectType: 'EMAIL' }, 'subjectType', 'must be one of USER_ID, ANONYMOUS_ID'],
    ['an extra field', { force: true }, 'force', 'is not an allowed field'],
  ])('answers 400 to %s, naming the field, and records nothing', async (_case, change, field, message) => {
    const { status, body, created } = await post({ ...valid, ...change });

    expect(status).toBe(400);
    expect(body.details).toContainEqual({ field, message });
    expect(created).toEqual([]);
  });

  it('answers 400 to a missing field and to a body that is not JSON', async () => {
    const { regulationType: _, ...missing } = valid;
    expect((await post(missing)).body.details).toEqual([{ field: 'regulationType', message: expect.any(String) }]);
    expect((await post('{"regulationType":')).status).toBe(400);
  });

  describe('with ADMIN_API_KEYS', () => {
    const access: Access = { open: false, keys: ['another-admin-key-0123', ADMIN_KEY] };

    it('records the name of the admin key that asked, never the key', async () => {
      const { status, created } = await post(valid, { access, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(status).toBe(200);
      expect(created[0]?.requestedBy).toBe('ADMIN_API_KEYS #2');
      expect(JSON.stringify(created)).not.toContain(ADMIN_KEY);
    });

    it.each([
      ['no key', {}],
      ['a write key', { authorization: 'Bearer write-key-0123456789' }],
      ['a read key', { authorization: 'Bearer read-key-0123456789' }],
    ])('answers 401 to %s and records nothing', async (_case, headers) => {
      const { status, created } = await post(valid, { access, headers });
      expect(status).toBe(401);
      expect(created).toEqual([]);
    });

    it('answers 401 to every key while other keys are set and no admin key is', async () => {
      const closed: Access = { open: false, keys: [] };
      const { status } = await post(valid, { access: closed, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(status).toBe(401);
    });
  });
});
