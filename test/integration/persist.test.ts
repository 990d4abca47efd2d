import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPersistHandler } from '../../functions/persist/handler.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { migrateDatabase } from '../../lib/db/migrate.js';
import { isTransientDbError } from '../../lib/db/transient-error.js';
import { runConfig } from '../../tools/run-config.js';
import { Database } from '../../tools/services.js';
import { activityMessage, decodeRules, lambdaContext, rmqEvent } from '../factories.js';

// MariaDB stores JSON as LONGTEXT: depending on the driver path it comes back as text or parsed.
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

describe('persist (function level, real MariaDB)', () => {
  const config = runConfig('persist');
  let database: Database;
  const connection = createDatabase(config);
  const persist = createPersistHandler({ store: createDrizzleStore(connection.db), rules: decodeRules() });

  beforeAll(async () => {
    database = await Database.create(config);
  });

  beforeEach(async () => {
    await database.rows('DELETE FROM user_activities');
    await database.rows('DELETE FROM failed_events');
  });

  afterAll(async () => {
    await connection.pool.end();
    await database.drop();
  });

  it('writes a batch as rows with the client time (ms, UTC), receive time and metadata', async () => {
    const first = activityMessage({
      timestamp: '2026-02-19T10:00:00.123Z',
      metadata: { browser: 'Chrome', n: [1, { deep: true }] },
    });
    const second = activityMessage({ user_id: Number.MAX_SAFE_INTEGER, event_type: 'logout', metadata: undefined });

    await persist(rmqEvent([first, second]), lambdaContext());

    const rows = await database.rows('SELECT * FROM user_activities ORDER BY id');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      event_id: first.event_id,
      user_id: 42,
      event_type: 'page_view',
      occurred_at: '2026-02-19 10:00:00.123',
      received_at: '2026-02-19 10:00:01.000',
    });
    expect(json(rows[0]?.metadata)).toEqual({ browser: 'Chrome', n: [1, { deep: true }] });
    expect(rows[1]).toMatchObject({ event_id: second.event_id, user_id: Number.MAX_SAFE_INTEGER, metadata: null });
  });

  it('stores a repeated event once, within a batch and across redeliveries', async () => {
    const message = activityMessage();

    await persist(rmqEvent([message, message]), lambdaContext());
    await persist(rmqEvent([message]), lambdaContext());

    expect(await database.rows('SELECT event_id FROM user_activities')).toEqual([{ event_id: message.event_id }]);
  });

  it('records poison messages with the reason and still stores the good ones', async () => {
    const good = activityMessage();
    const oversized = JSON.stringify(activityMessage({ metadata: { blob: 'x'.repeat(70 * 1024) } }));

    const result = await persist(
      rmqEvent([
        'not json at all',
        JSON.stringify({ ...activityMessage(), user_id: 'abc' }),
        Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
        oversized,
        good,
      ]),
      lambdaContext(),
    );

    expect(result).toEqual({ stored: 1, failed: 4 });
    expect(await database.rows('SELECT event_id FROM user_activities')).toEqual([{ event_id: good.event_id }]);
    const failed = await database.rows<{ raw_body: string; reason: string }>(
      'SELECT raw_body, reason FROM failed_events ORDER BY id',
    );
    expect(failed.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^message body is not JSON/),
      'message fails the schema: user_id must be integer',
      'message body is not valid UTF-8',
      expect.stringMatching(/^message is \d+ bytes, over the 65536-byte limit$/),
    ]);
    expect(failed[0]?.raw_body).toBe('not json at all');
  });

  it('stores a batch bigger than max_allowed_packet (16 MB on MariaDB) by splitting the INSERT', async () => {
    const big = Array.from({ length: 600 }, () => activityMessage({ metadata: { blob: 'x'.repeat(30_000) } }));

    await persist(rmqEvent(big), lambdaContext());

    expect(await database.rows('SELECT COUNT(*) AS n FROM user_activities')).toEqual([{ n: 600 }]);
  });

  it('records a redelivered poison message once', async () => {
    await persist(rmqEvent(['{oops']), lambdaContext());
    await persist(rmqEvent(['{oops']), lambdaContext());

    expect(await database.rows('SELECT raw_body FROM failed_events')).toHaveLength(1);
  });

  it('stores the good events of a batch the database refuses in part, and fails naming the bad one', async () => {
    // A real, non-duplicate database error: a trigger that refuses one event type.
    await database.rows(
      'CREATE TRIGGER refuse_explode BEFORE INSERT ON user_activities FOR EACH ROW ' +
        "BEGIN IF NEW.event_type = 'explode' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test trigger'; END IF; END",
    );
    try {
      const [good1, bad, good2] = [activityMessage(), activityMessage({ event_type: 'explode' }), activityMessage()];

      await expect(persist(rmqEvent([good1, bad, good2]), lambdaContext())).rejects.toMatchObject({
        name: 'UnstorableEventsError',
        eventIds: [bad.event_id],
      });

      const stored = await database.rows<{ event_id: string }>('SELECT event_id FROM user_activities');
      expect(stored.map((r) => r.event_id).sort()).toEqual([good1.event_id, good2.event_id].sort());
    } finally {
      await database.rows('DROP TRIGGER refuse_explode');
    }
  });

  it('throws when the database is unreachable, so the batch is retried', async () => {
    const down = runConfig('persist', { DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere' });
    const unreachable = createDatabase(down);
    const failing = createPersistHandler({ store: createDrizzleStore(unreachable.db), rules: decodeRules() });

    const error: { code?: string; cause?: { code?: string } } = await failing(
      rmqEvent([activityMessage()]),
      lambdaContext(),
    ).catch((e) => e);
    await unreachable.pool.end();

    expect(error.code ?? error.cause?.code).toBe('ECONNREFUSED');
    expect(isTransientDbError(error)).toBe(true);
  });

  it('migrates idempotently: a second run changes nothing', async () => {
    await migrateDatabase(config);
    const tables = await database.rows<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [config.databaseName],
    );
    expect(tables.map((t) => t.name).sort()).toEqual([
      '__drizzle_migrations',
      'activity_counts',
      'failed_events',
      'plan_violation_counts',
      'regulation_subjects',
      'regulations',
      'suppressions',
      'user_activities',
    ]);
  });
});
