import { beforeAll, describe, expect, it } from 'vitest';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDrizzleRegulationStore } from '../../lib/db/regulation-store.js';
import { createDrizzleStatsReader } from '../../lib/db/stats-reader.js';
import { activityMessage } from '../factories.js';
import { regulateSubject } from '../support/regulate-subject.js';
import { useTestDatabase } from '../support/test-database.js';

const SECRET = 'suppressed-store-secret';
const T = Date.parse('2026-12-07T12:00:00.000Z');
const at = (millis: number) => new Date(millis).toISOString();

/** persist's own check (issue 19): whatever the intake's copy of the list said, a suppressed event is never stored. */
describe('storing under suppression windows (real MariaDB)', () => {
  const test = useTestDatabase('suppressed');
  const { connection } = test;
  const store = createDrizzleStore(connection.db, { privacyHashKey: SECRET });
  const regulations = createDrizzleRegulationStore(connection.db);

  const regulate = (
    regulationType: 'SUPPRESS_ONLY' | 'UNSUPPRESS',
    subjectType: 'USER_ID' | 'ANONYMOUS_ID',
    id: string,
    time: number,
  ) => regulateSubject(regulations, SECRET, { regulationType, subjectType, id, createdAt: time });

  beforeAll(async () => {
    await regulate('SUPPRESS_ONLY', 'USER_ID', '42', T);
    await regulate('UNSUPPRESS', 'USER_ID', '42', T + 60_000);
    await regulate('SUPPRESS_ONLY', 'ANONYMOUS_ID', 'anon-1', T);
  });

  it('leaves out the events accepted inside a window, by either API, stores the rest and counts what it left out', async () => {
    const before = activityMessage({ user_id: 42, received_at: at(T - 1) });
    const inside = activityMessage({ user_id: 42, received_at: at(T) });
    const segmentInside = activityMessage({ user_id: 42, user_key: '42', received_at: at(T + 59_999) });
    const after = activityMessage({ user_id: 42, received_at: at(T + 60_000) });
    const anonymous = activityMessage({ user_id: 7, anonymous_id: 'anon-1', received_at: at(T + 1) });
    const otherUser = activityMessage({ user_id: 43, received_at: at(T + 1) });

    const result = await store.insertActivities([before, inside, segmentInside, after, anonymous, otherUser]);

    expect(result).toEqual({
      inserted: 3,
      suppressed: [inside.event_id, segmentInside.event_id, anonymous.event_id],
    });
    const rows = await test.database.rows<{ event_id: string }>('SELECT event_id FROM user_activities ORDER BY id');
    expect(rows.map((row) => row.event_id)).toEqual([before.event_id, after.event_id, otherUser.event_id]);
    const stats = await createDrizzleStatsReader(connection.db).readStoredStats();
    expect(stats).toMatchObject({ storedTotal: 3, suppressedTotal: 3 });
  });

  it('stores everything when no key is given (tools loading rows)', async () => {
    const plain = createDrizzleStore(connection.db);
    expect(await plain.insertActivities([activityMessage({ user_id: 42, received_at: at(T + 1) })])).toEqual({
      inserted: 1,
    });
  });
});

/**
 * With no regulation recorded yet, persist reads one row to know it (lib/db/regulated-events.ts): the first
 * regulation, while it is being recorded, must still hold back an event it suppresses.
 */
describe('storing while the first regulation is being recorded (real MariaDB)', () => {
  const test = useTestDatabase('suppressedfirst');
  const { connection } = test;
  const store = createDrizzleStore(connection.db, { privacyHashKey: SECRET });

  it('waits for it, then leaves out the event it suppresses', async () => {
    const event = activityMessage({ user_id: 99, received_at: at(T + 1) });
    let storing: Promise<unknown> | undefined;
    await connection.db.transaction(async (tx) => {
      // The regulation's rows are written and not yet committed when persist comes.
      const uncommitted = createDrizzleRegulationStore(tx as unknown as typeof connection.db);
      await regulateSubject(uncommitted, SECRET, { regulationType: 'SUPPRESS_ONLY', id: '99', createdAt: T });
      storing = store.insertActivities([event]);
      const first = await Promise.race([
        storing.then(() => 'stored'),
        new Promise((resolve) => setTimeout(() => resolve('waiting'), 1000)),
      ]);
      expect(first).toBe('waiting');
    });
    expect(await storing).toEqual({ inserted: 0, suppressed: [event.event_id] });
    expect(await test.database.rows('SELECT id FROM user_activities')).toEqual([]);
  });

  it('stores at once when no regulation names the event’s subject', async () => {
    const event = activityMessage({ user_id: 100, received_at: at(T + 1) });
    expect(await store.insertActivities([event])).toEqual({ inserted: 1 });
  });
});
