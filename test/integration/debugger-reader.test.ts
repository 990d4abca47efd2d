import { drizzle } from 'drizzle-orm/mysql2';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebuggerDataHandler } from '../../functions/debugger-data/handler.js';
import { createDrizzleReader } from '../../lib/db/activity-reader.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDrizzleDebuggerReader } from '../../lib/db/debugger-reader.js';
import type { IdWindow } from '../../lib/ports.js';
import { runConfig } from '../../tools/run-config.js';
import { Database } from '../../tools/services.js';
import { activityMessage, httpEvent, lambdaContext } from '../factories.js';
import { openApiErrors } from '../support/openapi-schemas.js';

const ROWS = 3000;

describe('debugger reads (Drizzle adapter and handlers, real MariaDB)', () => {
  const config = runConfig('debugger');
  const events = Array.from({ length: ROWS }, (_, i) =>
    activityMessage({ user_id: 1 + (i % 7), event_type: i % 2 ? 'view' : 'click', metadata: { n: i } }),
  );
  const failures = ['not json', '{"user_id":"x"}', '{}'].map((rawBody, i) => ({
    messageId: `m-${i}`,
    eventId: null,
    rawBody,
    reason: `reason ${i}`,
  }));
  let database: Database;
  // One connection, so the session's handler counters count exactly the reader's statements.
  let connection: Connection;
  let reader: ReturnType<typeof createDrizzleDebuggerReader>;
  let newestId: number;

  beforeAll(async () => {
    database = await Database.create(config);
    connection = await createConnection({ uri: config.databaseUrl, charset: 'utf8mb4', timezone: 'Z' });
    await connection.query("SET time_zone = '+00:00'");
    const db = drizzle(connection);
    const store = createDrizzleStore(db);
    await store.insertActivities(events);
    await store.insertFailedEvents(failures);
    reader = createDrizzleDebuggerReader(db);
    const [newest] = await database.rows<{ id: number }>('SELECT MAX(id) AS id FROM user_activities');
    newestId = Number(newest?.id);
  });

  afterAll(async () => {
    await connection?.end();
    await database?.drop();
  });

  /** Index and table rows the server read for `read` (InnoDB handler counters of this session). */
  const rowsRead = async (read: () => Promise<unknown>): Promise<number> => {
    const counters = async () => {
      const [rows] = await connection.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
      return (rows as Array<{ Value: string }>).reduce((sum, row) => sum + Number(row.Value), 0);
    };
    const before = await counters();
    await read();
    return (await counters()) - before;
  };

  it('reads the newest events first, each as the read API maps it plus its id and stored_at', async () => {
    const rows = await reader.listEvents({ limit: 3 });

    expect(rows.map((row) => row.id)).toEqual([newestId, newestId - 1, newestId - 2]);
    const lastThree = events.slice(-3).reverse();
    expect(rows.map((row) => row.event_id)).toEqual(lastThree.map((e) => e.event_id));
    const { id: _id, stored_at, ...stored } = rows[0]!;
    expect(stored).toEqual(await createDrizzleReader(drizzle(connection)).findEvent(stored.event_id));
    expect(stored.metadata).toEqual({ n: ROWS - 1 });
    expect(Date.now() - Date.parse(stored_at)).toBeLessThan(60_000);
  });

  it('reads only what is newer than `after` (newest first) and pages older with `before`', async () => {
    const newer = await reader.listEvents({ after: newestId - 2, limit: 500 });
    const older = await reader.listEvents({ before: newestId - 2, limit: 2 });
    const between = await reader.listEvents({ after: newestId - 10, before: newestId - 7, limit: 500 });

    expect(newer.map((row) => row.id)).toEqual([newestId, newestId - 1]);
    expect(older.map((row) => row.id)).toEqual([newestId - 3, newestId - 4]);
    expect(between.map((row) => row.id)).toEqual([newestId - 8, newestId - 9]);
    expect(await reader.listEvents({ after: newestId, limit: 500 })).toEqual([]);
  });

  it.each<[string, IdWindow]>([
    ['the newest page', { limit: 5 }],
    ['a poll after an id', { after: 100, limit: 5 }],
    ['an older page before an id', { before: 1500, limit: 5 }],
  ])(`reads %s of ${ROWS} rows touching no more rows than the limit`, async (_case, window) => {
    expect(await rowsRead(() => reader.listEvents(window))).toBeLessThanOrEqual(window.limit + 1);
    expect(await rowsRead(() => reader.listFailedEvents(window))).toBeLessThanOrEqual(window.limit + 1);
  });

  it('counts the rows an OFFSET read skips (so the bound above means something)', async () => {
    const offsetRead = () => connection.query('SELECT * FROM user_activities ORDER BY id DESC LIMIT 5 OFFSET 1000');
    expect(await rowsRead(offsetRead)).toBeGreaterThan(1000);
  });

  it('reads failed events newest first with their reason and raw body', async () => {
    const [newest, next, oldest] = await reader.listFailedEvents({ limit: 500 });

    expect(newest).toEqual({
      id: expect.any(Number),
      stored_at: expect.stringMatching(/Z$/),
      message_id: 'm-2',
      reason: 'reason 2',
      raw_body: '{}',
    });
    expect([next?.raw_body, oldest?.raw_body]).toEqual(['{"user_id":"x"}', 'not json']);
    expect(await reader.listFailedEvents({ before: newest!.id, limit: 1 })).toEqual([next]);
  });

  it('answers through the handlers with bodies the OpenAPI document describes', async () => {
    const handler = createDebuggerDataHandler({ reader });
    const get = async (path: string, query: Record<string, string>) => {
      const event = { ...httpEvent({ method: 'GET', path, headers: {} }), queryStringParameters: query };
      const response = await handler(event as never, lambdaContext());
      return { status: response.statusCode, body: JSON.parse(response.body) };
    };

    const recent = await get('/api/v1/debugger/events', { after: String(newestId - 500), limit: '500' });
    const failed = await get('/api/v1/debugger/failed', { limit: '2' });

    expect(recent.status).toBe(200);
    expect(recent.body.data).toHaveLength(500);
    expect(openApiErrors('DebuggerEvents', recent.body)).toEqual([]);
    expect(failed.status).toBe(200);
    expect(failed.body.data).toHaveLength(2);
    expect(openApiErrors('FailedEvents', failed.body)).toEqual([]);
  });
});
