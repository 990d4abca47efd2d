import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDrizzleRegulationStore } from '../../lib/db/regulation-store.js';
import { subjectHash } from '../../lib/privacy/subject-hash.js';
import { regulate } from '../../lib/regulations/regulate.js';
import type { RegulationType } from '../../lib/regulations/regulation-schema.js';
import { useTestDatabase } from '../support/test-database.js';

const SECRET = 'regulation-store-secret';
/** A time as the test's connection reads a DATETIME(3) (dateStrings, UTC). */
const stored = (time: Date) => time.toISOString().replace('T', ' ').replace('Z', '');

describe('regulations in the database (real MariaDB)', () => {
  const test = useTestDatabase('regulations');
  const { connection } = test;
  const store = createDrizzleRegulationStore(connection.db);

  const create = (regulationType: RegulationType, ids: string[], createdAt: Date) =>
    store.createRegulation({
      id: randomUUID(),
      regulationType,
      subjectType: 'USER_ID',
      subjectHashes: ids.map((id) => subjectHash(SECRET, 'USER_ID', id)),
      requestedBy: 'ADMIN_API_KEYS #1',
      createdAt,
    });

  const windows = () =>
    test.database.rows<{ since: string; ended_at: string | null }>(
      'SELECT since, ended_at FROM suppressions WHERE subject_hash = ? ORDER BY since',
      [subjectHash(SECRET, 'USER_ID', 'alice')],
    );

  it('keeps a suppression as windows: opened by SUPPRESS_*, not reopened while open, closed by UNSUPPRESS', async () => {
    const t1 = new Date('2026-12-07T10:00:00.000Z');
    const t2 = new Date('2026-12-07T10:05:00.000Z');
    const t3 = new Date('2026-12-07T10:10:00.000Z');
    const t4 = new Date('2026-12-07T10:15:00.000Z');

    await create('SUPPRESS_ONLY', ['alice', 'bob'], t1);
    await create('SUPPRESS_WITH_DELETE', ['alice'], t2);
    await create('UNSUPPRESS', ['alice'], t3);
    await create('SUPPRESS_ONLY', ['alice'], t4);

    expect(await windows()).toEqual([
      { since: stored(t1), ended_at: stored(t3) },
      { since: stored(t4), ended_at: null },
    ]);
  });

  it('answers a regulation by id with its status: FINISHED at once without a deletion, INITIALIZED with one', async () => {
    const at = new Date('2026-12-07T11:00:00.000Z');
    const suppress = await create('SUPPRESS_ONLY', ['carol'], at);
    const erase = await create('DELETE_ONLY', ['carol', 'dave'], at);

    expect(await store.findRegulation(suppress.id)).toMatchObject({
      overallStatus: 'FINISHED',
      createdAt: at.toISOString(),
      finishedAt: at.toISOString(),
    });
    expect(await store.findRegulation(erase.id)).toEqual({
      id: erase.id,
      regulationType: 'DELETE_ONLY',
      subjectType: 'USER_ID',
      overallStatus: 'INITIALIZED',
      createdAt: at.toISOString(),
      finishedAt: null,
      deleted: { events: 0, failedEvents: 0, deadLetters: 0 },
    });
    expect(await store.findRegulation(randomUUID())).toBeUndefined();
    const [audit] = await test.database.rows<{ subject_count: number; requested_by: string }>(
      'SELECT subject_count, requested_by FROM regulations WHERE id = ?',
      [erase.id],
    );
    expect(audit).toEqual({ subject_count: 2, requested_by: 'ADMIN_API_KEYS #1' });
  });

  it('takes T once a batch persist has in flight for the subject has committed, and keeps every row at that T', async () => {
    const hash = subjectHash(SECRET, 'USER_ID', 'in-flight');
    // persist's read of the subject's windows, under its shared lock, in a batch that has not committed yet.
    const batch = await connection.pool.getConnection();
    try {
      await batch.query('BEGIN');
      await batch.query('SELECT subject_hash FROM suppressions WHERE subject_hash IN (?) LOCK IN SHARE MODE', [[hash]]);
      const asked = Date.now();
      const recording = regulate(
        {
          store,
          secret: SECRET,
        },
        { regulationType: 'SUPPRESS_ONLY', subjectType: 'USER_ID', subjectIds: ['in-flight'] },
        'test',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const committed = Date.now();
      await batch.query('COMMIT');
      const regulation = await recording;

      // Without the clock T would be `asked`: an event accepted meanwhile, stored by that batch, would be after T.
      expect(Date.parse(regulation.createdAt)).toBeGreaterThanOrEqual(committed);
      expect(Date.parse(regulation.createdAt) - asked).toBeGreaterThanOrEqual(500);
      const [row] = await test.database.rows<{ created_at: string; finished_at: string }>(
        'SELECT created_at, finished_at FROM regulations WHERE id = ?',
        [regulation.id],
      );
      const T = stored(new Date(regulation.createdAt));
      expect(row).toEqual({ created_at: T, finished_at: T });
      expect(await test.database.rows('SELECT since FROM suppressions WHERE subject_hash = ?', [hash])).toEqual([
        { since: T },
      ]);
    } finally {
      batch.release();
    }
  });

  it('keeps no subject id anywhere, only their keyed hashes', async () => {
    await create('SUPPRESS_WITH_DELETE', ['erin@example.com'], new Date());
    const tables = ['regulations', 'regulation_subjects', 'suppressions'];
    for (const table of tables) {
      const rows = await test.database.rows(`SELECT * FROM ${table}`);
      expect(JSON.stringify(rows)).not.toContain('erin');
    }
    const subjects = await test.database.rows<{ subject_hash: string }>('SELECT subject_hash FROM regulation_subjects');
    expect(subjects.map((row) => row.subject_hash)).toContain(subjectHash(SECRET, 'USER_ID', 'erin@example.com'));
  });

  it('lists newest first, a page at a time, each regulation once', async () => {
    const seen: string[] = [];
    let before: number | undefined;
    do {
      const page = await store.listRegulations({ limit: 2, ...(before === undefined ? {} : { before }) });
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      before = page.next;
    } while (before !== undefined);

    const all = await test.database.rows<{ id: string }>('SELECT id FROM regulations ORDER BY seq DESC');
    expect(seen).toEqual(all.map((row) => row.id));
  });
});
