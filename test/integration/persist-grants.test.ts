import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPersistHandler } from '../../functions/persist/handler.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { createDrizzleRegulationStore } from '../../lib/db/regulation-store.js';
import { activityMessage, decodeRules, lambdaContext, rmqEvent } from '../factories.js';
import { regulateSubject } from '../support/regulate-subject.js';
import { useTestDatabase } from '../support/test-database.js';

const SECRET = 'persist-grants-secret';
const T = Date.parse('2026-12-07T12:00:00.000Z');
const at = (millis: number) => new Date(millis).toISOString();

/**
 * docs/deploy.md ("A database user of its own for persist"): PERSIST_DATABASE_URL may name a MySQL user granted no
 * more than SELECT, INSERT and UPDATE. persist runs here as such a user, over every kind of write it makes: rows,
 * a redelivered event, poison kept in failed_events, the counts, a suppressed subject's event and one of a subject
 * deleted while it waited on the queue.
 */
describe('persist as a database user granted SELECT, INSERT and UPDATE only (real MariaDB)', () => {
  const test = useTestDatabase('persist_grants');
  const user = `uat_persist_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const restrictedUrl = (() => {
    const url = new URL(test.config.databaseUrl);
    url.username = user;
    url.password = password;
    return url.toString();
  })();
  const restricted = createDatabase(test.config, restrictedUrl);
  const persist = createPersistHandler({
    store: createDrizzleStore(restricted.db, { privacyHashKey: SECRET }),
    rules: decodeRules(),
  });
  const regulations = createDrizzleRegulationStore(test.connection.db);
  let deletionId = '';

  const regulate = (regulationType: 'SUPPRESS_ONLY' | 'SUPPRESS_WITH_DELETE', id: string) =>
    regulateSubject(regulations, SECRET, { regulationType, id, createdAt: T });

  beforeAll(async () => {
    const { database } = test;
    await database.rows('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
    await database.rows(`GRANT SELECT, INSERT, UPDATE ON \`${test.config.databaseName}\`.* TO ?@?`, [user, '%']);
    await regulate('SUPPRESS_ONLY', '42');
    deletionId = (await regulate('SUPPRESS_WITH_DELETE', '43')).id;
  });

  afterAll(async () => {
    await restricted.pool.end();
    await test.database.rows('DROP USER IF EXISTS ?@?', [user, '%']);
  });

  it('is refused what it was not granted', async () => {
    await expect(restricted.pool.query('DELETE FROM user_activities')).rejects.toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
  });

  it('stores, keeps poison, counts and leaves out the regulated subjects as root would', async () => {
    const kept = activityMessage({ user_id: 7, received_at: at(T + 1) });
    const suppressed = activityMessage({ user_id: 42, received_at: at(T + 1) });
    const deletedInFlight = activityMessage({ user_id: 43, received_at: at(T - 1) });

    // Each batch is acknowledged (resolves) only once its transaction committed.
    expect(await persist(rmqEvent([kept, suppressed, deletedInFlight, 'not json']), lambdaContext())).toMatchObject({
      failed: 1,
    });
    await persist(rmqEvent([kept]), lambdaContext());

    const { database } = test;
    expect(await database.rows('SELECT event_id FROM user_activities')).toEqual([{ event_id: kept.event_id }]);
    expect(await database.countRows('failed_events')).toBe(1);
    const [totals] = await database.rows<{ stored: number; failed: number; suppressed: number }>(
      "SELECT stored, failed, suppressed FROM activity_counts WHERE minute = '1970-01-01 00:00:00'",
    );
    expect(totals).toEqual({ stored: 1, failed: 1, suppressed: 1 });
    expect((await regulations.findRegulation(deletionId))?.deleted.deadLetters).toBe(1);
  });
});
