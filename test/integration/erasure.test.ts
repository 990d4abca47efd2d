import { beforeAll, describe, expect, it } from 'vitest';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDrizzleErasureStore } from '../../lib/db/erasure-store.js';
import { createDrizzleRegulationStore } from '../../lib/db/regulation-store.js';
import { createDrizzleStatsReader } from '../../lib/db/stats-reader.js';
import type { ErasureStore } from '../../lib/ports.js';
import { ERASE_CHUNK_ROWS, eraseRegulated } from '../../lib/regulations/erase.js';
import type { RegulationType } from '../../lib/regulations/regulation-schema.js';
import { activityMessage } from '../factories.js';
import { regulateSubject } from '../support/regulate-subject.js';
import { useTestDatabase } from '../support/test-database.js';

const SECRET = 'erasure-test-secret';
const at = (millis: number) => new Date(millis).toISOString();
const FAR = () => Date.now() + 60_000;
// No pause between chunks: these tests are about what is deleted, not how it shares the database.
const pace = (deadline: number) => ({ deadline, pausePercent: 0 });

/** The deletion runner on the real database (issue 19): chunks, counts, resumption, the check before FINISHED. */
describe('deleting regulated subjects (real MariaDB)', () => {
  const test = useTestDatabase('erasure');
  const { connection } = test;
  const store = createDrizzleStore(connection.db, { privacyHashKey: SECRET });
  const regulations = createDrizzleRegulationStore(connection.db);
  const erasures = createDrizzleErasureStore(connection.db, connection.pool, SECRET);
  // T after the rows are loaded, as when a regulation comes for what is already stored.
  const T = Date.now() + 60_000;

  const regulate = async (regulationType: RegulationType, id: string) =>
    regulateSubject(regulations, SECRET, { regulationType, id, createdAt: T });

  const load = async (n: number, fields: Parameters<typeof activityMessage>[0], receivedAt: number) => {
    for (let i = 0; i < n; i += 500) {
      const batch = Array.from({ length: Math.min(500, n - i) }, () =>
        activityMessage({ ...fields, received_at: at(receivedAt) }),
      );
      await store.insertActivities(batch);
    }
  };
  const count = async (where: string, params: unknown[] = []) => {
    const [row] = await test.database.rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM user_activities WHERE ${where}`,
      params,
    );
    return Number(row?.n);
  };

  beforeAll(async () => {
    // alice (a Segment userId) and user 7 (native, and as the Segment userId "7"), before and after T; bob untouched.
    await load(2 * ERASE_CHUNK_ROWS + 10, { user_id: 0, user_key: 'alice' }, T - 1000);
    await load(5, { user_id: 0, user_key: 'alice' }, T + 1000);
    await load(300, { user_id: 7 }, T - 1000);
    await load(200, { user_id: 7, user_key: '7' }, T - 1000);
    await load(50, { user_id: 0, user_key: 'bob' }, T - 1000);
    await load(1, { user_id: 0, user_key: 'alice ' }, T - 1000);
    // Rows stored without hashes, as before this version: 3 of alice's, 2 of bob's.
    const unhashed = createDrizzleStore(connection.db);
    await unhashed.insertActivities([
      ...Array.from({ length: 3 }, () => activityMessage({ user_id: 0, user_key: 'alice', received_at: at(T - 1000) })),
      ...Array.from({ length: 2 }, () => activityMessage({ user_id: 0, user_key: 'bob', received_at: at(T - 1000) })),
    ]);
    await store.insertFailedEvents([
      {
        messageId: null,
        eventId: null,
        rawBody: '{"userId":"alice"}',
        reason: 'r',
        loggedReason: 'r',
        identity: { user_key: 'alice' },
      },
    ]);
  }, 120_000);

  it('deletes every row and failed event of the subject from before T, in chunks, and counts them', async () => {
    const regulation = await regulate('DELETE_ONLY', 'alice');
    const before = await createDrizzleStatsReader(connection.db).readStoredStats();

    const run = await eraseRegulated(erasures, pace(FAR()));

    expect(run).toEqual({ finished: [regulation.id], unfinished: false });
    expect(await regulations.findRegulation(regulation.id)).toMatchObject({
      overallStatus: 'FINISHED',
      finishedAt: expect.any(String),
      deleted: { events: 2 * ERASE_CHUNK_ROWS + 13, failedEvents: 1, deadLetters: 0 },
    });
    expect(await count("user_key = 'alice' AND LENGTH(user_key) = 5")).toBe(5);
    expect(await count("user_key = 'alice '  AND LENGTH(user_key) = 6")).toBe(1);
    expect(await count("user_key = 'bob'")).toBe(52);
    expect(await count('user_hash IS NULL AND anonymous_hash IS NULL')).toBe(0);
    expect((await test.database.rows('SELECT id FROM failed_events')).length).toBe(0);
    const after = await createDrizzleStatsReader(connection.db).readStoredStats();
    expect(before.storedTotal - after.storedTotal).toBe(2 * ERASE_CHUNK_ROWS + 13);
    expect(before.failedTotal - after.failedTotal).toBe(1);
  });

  it('resumes after a run that died mid-way, and counts each row once', async () => {
    const regulation = await regulate('SUPPRESS_WITH_DELETE', '7');
    // The first run removes the rows, then dies before the failed events and the check.
    const dying: ErasureStore = {
      ...erasures,
      eraseFailedEvents: async () => {
        throw new Error('killed');
      },
    };
    await expect(eraseRegulated(dying, pace(FAR()))).rejects.toThrowError('killed');
    expect((await regulations.findRegulation(regulation.id))?.overallStatus).toBe('RUNNING');

    expect(await eraseRegulated(erasures, pace(Date.now()))).toEqual({ finished: [], unfinished: true });
    const run = await eraseRegulated(erasures, pace(FAR()));

    expect(run.finished).toEqual([regulation.id]);
    expect(await regulations.findRegulation(regulation.id)).toMatchObject({
      overallStatus: 'FINISHED',
      deleted: { events: 500, failedEvents: 0 },
    });
    expect(await count('user_id = 7')).toBe(0);
    expect(await count("user_key = 'bob'")).toBe(52);
  });

  it('leaves out of the table a queued or replayed message of the subject accepted before T, and counts it', async () => {
    const regulation = await regulate('DELETE_ONLY', 'carol');
    const late = activityMessage({ user_id: 0, user_key: 'carol', received_at: at(T - 5) });
    const after = activityMessage({ user_id: 0, user_key: 'carol', received_at: at(T + 5) });

    expect(await store.insertActivities([late, after])).toEqual({ inserted: 1 });
    expect(await eraseRegulated(erasures, pace(FAR()))).toEqual({ finished: [regulation.id], unfinished: false });
    expect(await regulations.findRegulation(regulation.id)).toMatchObject({ deleted: { events: 0, deadLetters: 1 } });
    expect(await count("user_key = 'carol'")).toBe(1);
  });

  it('pauses after each full chunk for its share of the chunk’s time, and not past the deadline', async () => {
    await load(2 * ERASE_CHUNK_ROWS + 1, { user_id: 0, user_key: 'dave' }, T - 1000);
    const regulation = await regulate('DELETE_ONLY', 'dave');
    const chunks: number[] = [];
    const timed: ErasureStore = {
      ...erasures,
      eraseEvents: async (...args) => {
        const begun = performance.now();
        const deleted = await erasures.eraseEvents(...args);
        chunks.push(performance.now() - begun);
        return deleted;
      },
    };
    const pauses: number[] = [];
    const sleep = async (ms: number) => {
      pauses.push(ms);
    };

    const run = await eraseRegulated(timed, { deadline: FAR(), pausePercent: 150, sleep });

    expect(run.finished).toEqual([regulation.id]);
    expect(await count("user_key = 'dave'")).toBe(0);
    // Two full chunks of events, each followed by a pause of about 1.5 times its own time; the last (short) one not.
    expect(chunks).toHaveLength(3);
    expect(pauses).toHaveLength(2);
    pauses.forEach((pause, i) => {
      expect(pause).toBeGreaterThanOrEqual((chunks[i] as number) * 1.5);
      expect(pause).toBeLessThan((chunks[i] as number) * 1.5 + 50);
    });

    // A pause never runs past the deadline.
    await load(ERASE_CHUNK_ROWS, { user_id: 0, user_key: 'erin' }, T - 1000);
    await regulate('DELETE_ONLY', 'erin');
    const capped: number[] = [];
    const soon = Date.now() + 60_000;
    await eraseRegulated(erasures, {
      deadline: soon,
      pausePercent: 1_000_000,
      sleep: async (ms) => {
        capped.push(ms);
      },
    });
    expect(capped.length).toBeGreaterThan(0);
    for (const ms of capped) expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('lets one runner work at a time', async () => {
    let inner: boolean | undefined;
    const outer = await erasures.exclusively(async () => {
      inner = await erasures.exclusively(async () => undefined);
    });
    expect([outer, inner]).toEqual([true, false]);
  });
});
