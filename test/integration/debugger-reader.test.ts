import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/mysql2';
import { type Connection, createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDebuggerDataHandler } from '../../functions/debugger-data/handler.js';
import { createGetEventHandler } from '../../functions/get-event/handler.js';
import { createDrizzleReader } from '../../lib/db/activity-reader.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDrizzleDebuggerReader } from '../../lib/db/debugger-reader.js';
import { DEBUGGER_ANSWER_MAX_BYTES } from '../../lib/http/debugger-schemas.js';
import { DEBUGGER_PREVIEW_CHARS, type IdWindow } from '../../lib/ports.js';
import { runConfig } from '../../tools/run-config.js';
import { Database } from '../../tools/services.js';
import { activityMessage, httpEvent, lambdaContext } from '../factories.js';
import { openApiErrors } from '../support/openapi-schemas.js';

const ROWS = 3000;

/** A test's own migrated database and one connection to it (so session counters count only its statements). */
const useDatabase = (name: string) => {
  const config = runConfig(name);
  const stack = {} as { database: Database; connection: Connection };
  beforeAll(async () => {
    stack.database = await Database.create(config);
    stack.connection = await openConnection(config.databaseUrl);
  });
  afterAll(async () => {
    await stack.connection?.end();
    await stack.database?.drop();
  });
  return Object.assign(stack, { config });
};

const openConnection = async (uri: string) => {
  const connection = await createConnection({ uri, charset: 'utf8mb4', timezone: 'Z' });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
};

/** The debugger's data handler and the read API's get-event handler on `connection`, called as the page calls them. */
const httpOn = (connection: Connection) => {
  const db = drizzle(connection);
  const data = createDebuggerDataHandler({ reader: createDrizzleDebuggerReader(db) });
  const getEvent = createGetEventHandler({ reader: createDrizzleReader(db) });
  const call = async (
    handler: typeof data,
    path: string,
    query: Record<string, string> | null,
    pathParameters?: Record<string, string>,
  ) => {
    const event = {
      ...httpEvent({ method: 'GET', path, headers: {} }),
      queryStringParameters: query,
      ...(pathParameters ? { pathParameters } : {}),
    };
    const response = await handler(event as never, lambdaContext());
    return { status: response.statusCode, body: JSON.parse(response.body), bytes: Buffer.byteLength(response.body) };
  };
  return {
    events: (query: Record<string, string> | null) => call(data, '/api/v1/debugger/events', query),
    failed: (query: Record<string, string> | null) => call(data, '/api/v1/debugger/failed', query),
    failedEvent: (id: number) => call(data, `/api/v1/debugger/failed/${id}`, null, { id: String(id) }),
    event: (eventId: string) =>
      call(getEvent as unknown as typeof data, `/api/v1/events/${eventId}`, null, { event_id: eventId }),
  };
};

const newestIdOf = async (database: Database, table = 'user_activities') => {
  const [newest] = await database.rows<{ id: number }>(`SELECT MAX(id) AS id FROM ${table}`);
  return Number(newest?.id);
};

describe('debugger reads (Drizzle adapter and handlers, real MariaDB)', () => {
  const stack = useDatabase('debugger');
  const events = Array.from({ length: ROWS }, (_, i) =>
    activityMessage({ user_id: 1 + (i % 7), event_type: i % 2 ? 'view' : 'click', metadata: { n: i } }),
  );
  const failures = ['not json', '{"user_id":"x"}', '{}'].map((rawBody, i) => ({
    messageId: `m-${i}`,
    eventId: null,
    rawBody,
    reason: `reason ${i}`,
    loggedReason: `reason ${i}`,
  }));
  let reader: ReturnType<typeof createDrizzleDebuggerReader>;
  let newestId: number;

  beforeAll(async () => {
    const db = drizzle(stack.connection);
    const store = createDrizzleStore(db);
    await store.insertActivities(events);
    await store.insertFailedEvents(failures);
    reader = createDrizzleDebuggerReader(db);
    newestId = await newestIdOf(stack.database);
  });

  /** Index and table rows the server read for `read` (InnoDB handler counters of this session). */
  const rowsRead = async (read: () => Promise<unknown>): Promise<number> => {
    const counters = async () => {
      const [rows] = await stack.connection.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
      return (rows as Array<{ Value: string }>).reduce((sum, row) => sum + Number(row.Value), 0);
    };
    const before = await counters();
    await read();
    return (await counters()) - before;
  };

  it('reads the newest events first, each as the read API maps it with a preview of its metadata', async () => {
    const rows = await reader.listEvents({ limit: 3 });

    expect(rows.map((row) => row.id)).toEqual([newestId, newestId - 1, newestId - 2]);
    const lastThree = events.slice(-3).reverse();
    expect(rows.map((row) => row.event_id)).toEqual(lastThree.map((e) => e.event_id));
    const { id: _id, stored_at, metadata_preview, truncated, ...fields } = rows[0]!;
    const { metadata, ...whole } = (await createDrizzleReader(drizzle(stack.connection)).findEvent(fields.event_id))!;
    expect(fields).toEqual(whole);
    expect(JSON.parse(metadata_preview!)).toEqual(metadata);
    expect(metadata).toEqual({ n: ROWS - 1 });
    expect(truncated).toBe(false);
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

  it('reads, with what is newer than `after`, the `missing` ids below it, newest first', async () => {
    const missing = [
      { from: newestId - 20, to: newestId - 19 },
      { from: newestId - 5, to: newestId - 5 },
    ];

    const rows = await reader.listEvents({ after: newestId - 2, missing, limit: 500 });
    const below = await reader.listEvents({ after: newestId - 2, before: newestId - 4, missing, limit: 500 });

    expect(rows.map((row) => newestId - row.id)).toEqual([0, 1, 5, 19, 20]);
    expect(below.map((row) => newestId - row.id)).toEqual([5, 19, 20]);
  });

  it.each<[string, IdWindow]>([
    ['the newest page', { limit: 5 }],
    ['a poll after an id', { after: 100, limit: 5 }],
    ['an older page before an id', { before: 1500, limit: 5 }],
    [
      'a poll after an id with missing ids',
      {
        after: 2990,
        missing: [
          { from: 100, to: 2000 },
          { from: 2500, to: 2500 },
        ],
        limit: 5,
      },
    ],
  ])(`reads %s of ${ROWS} rows touching no more rows than the limit`, async (_case, window) => {
    const bound = window.limit + 1 + (window.missing?.length ?? 0);
    expect(await rowsRead(() => reader.listEvents(window))).toBeLessThanOrEqual(bound);
    expect(await rowsRead(() => reader.listFailedEvents(window))).toBeLessThanOrEqual(bound);
  });

  it('counts the rows an OFFSET read skips (so the bound above means something)', async () => {
    const offsetRead = () =>
      stack.connection.query('SELECT * FROM user_activities ORDER BY id DESC LIMIT 5 OFFSET 1000');
    expect(await rowsRead(offsetRead)).toBeGreaterThan(1000);
  });

  it('lists failed events newest first with their reason and raw body, and reads one whole by id', async () => {
    const [newest, next, oldest] = await reader.listFailedEvents({ limit: 500 });

    expect(newest).toEqual({
      id: expect.any(Number),
      stored_at: expect.stringMatching(/Z$/),
      message_id: 'm-2',
      reason_preview: 'reason 2',
      raw_body_preview: '{}',
      truncated: false,
    });
    expect([next?.raw_body_preview, oldest?.raw_body_preview]).toEqual(['{"user_id":"x"}', 'not json']);
    expect(await reader.listFailedEvents({ before: newest!.id, limit: 1 })).toEqual([next]);
    expect(await reader.findFailedEvent(oldest!.id)).toEqual({
      id: oldest!.id,
      stored_at: oldest!.stored_at,
      message_id: 'm-0',
      reason: 'reason 0',
      raw_body: 'not json',
    });
    expect(await reader.findFailedEvent(newest!.id + 1)).toBeUndefined();
  });

  it('answers through the handlers with bodies the OpenAPI document describes', async () => {
    const http = httpOn(stack.connection);

    const recent = await http.events({ after: String(newestId - 500), limit: '500' });
    const failed = await http.failed({ limit: '2' });
    const one = await http.failedEvent(failed.body.data[0].id);

    expect(recent.status).toBe(200);
    expect(recent.body.data).toHaveLength(500);
    expect(recent.body.more).toBe(false);
    expect(openApiErrors('DebuggerEvents', recent.body)).toEqual([]);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ more: true });
    expect(failed.body.data).toHaveLength(2);
    expect(openApiErrors('FailedEvents', failed.body)).toEqual([]);
    expect(one.status).toBe(200);
    expect(openApiErrors('FailedEvent', one.body)).toEqual([]);
  });

  it('finds a row committed after a higher id was read, when the page names its id as missing', async () => {
    const http = httpOn(stack.connection);
    const before = await newestIdOf(stack.database);
    const late = await openConnection(stack.config.databaseUrl);
    try {
      // Arrange: a transaction takes an id and stays open while a higher id commits, as two persists of two shards
      // can do.
      await late.query('START TRANSACTION');
      const lateEvent = randomUUID();
      await late.query(
        `INSERT INTO user_activities (event_id, user_id, event_type, occurred_at, received_at, metadata)
         VALUES (?, 1, 'late', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), '{"late":true}')`,
        [lateEvent],
      );
      const [[{ lateId }]] = (await late.query('SELECT LAST_INSERT_ID() AS lateId')) as unknown as [
        [{ lateId: number }],
      ];
      const [onTime] = [activityMessage({ event_type: 'on_time' })];
      await createDrizzleStore(drizzle(stack.connection)).insertActivities([onTime!]);

      // Act: the page's poll sees the higher id only; then the late row commits, and the next poll names its id.
      const first = await http.events({ after: String(before), limit: '500' });
      await late.query('COMMIT');
      const newest = first.body.data[0].id as number;
      const next = await http.events({ after: String(newest), missing: String(lateId), limit: '500' });
      const idle = await http.events({ after: String(newest), limit: '500' });

      // Assert
      expect(first.body.data.map((row: { event_type: string }) => row.event_type)).toEqual(['on_time']);
      expect(newest).toBeGreaterThan(Number(lateId));
      expect(next.body).toEqual({
        data: [expect.objectContaining({ id: Number(lateId), event_id: lateEvent })],
        more: false,
      });
      expect(idle.body).toEqual({ data: [], more: false });
    } finally {
      await late.end();
    }
  });
});

describe('the debugger with 31 KB of metadata in every row (issue 18)', () => {
  const stack = useDatabase('debugger_large');
  const LARGE_ROWS = 600;
  const metadata = (i: number) => ({ row: i, blob: 'x'.repeat(31_000) });
  // Segment identities near their 255-character bound make even the previews add up past the byte bound.
  const events = Array.from({ length: LARGE_ROWS }, (_, i) =>
    activityMessage({
      user_id: 0,
      user_key: `${'k'.repeat(200)}-${i}`,
      anonymous_id: `${'a'.repeat(200)}-${i}`,
      metadata: metadata(i),
    }),
  );
  const failure = {
    messageId: 'big-1',
    eventId: null,
    reason: 'message body is not JSON',
    loggedReason: 'message body is not JSON',
    rawBody: 'y'.repeat(65_000),
  };

  beforeAll(async () => {
    const store = createDrizzleStore(drizzle(stack.connection));
    for (let i = 0; i < LARGE_ROWS; i += 100) await store.insertActivities(events.slice(i, i + 100));
    await store.insertFailedEvents([failure]);
  });

  it(`answers every list in at most ${DEBUGGER_ANSWER_MAX_BYTES} bytes and says when there is more`, async () => {
    const http = httpOn(stack.connection);
    const answers: Array<{ rows: number; bytes: number; more: boolean }> = [];
    const seen = new Set<number>();

    // Act: what the page does on its first ticks: the newest 500, then below the last row it got, until it has them.
    let query: Record<string, string> = { after: '0', limit: '500' };
    for (let tick = 0; tick < 10; tick++) {
      const { status, body, bytes } = await http.events(query);
      expect(status).toBe(200);
      answers.push({ rows: body.data.length, bytes, more: body.more });
      for (const row of body.data) seen.add(row.id);
      if (!body.more) break;
      query = { after: '0', before: String(body.data.at(-1).id), limit: '500' };
    }
    console.log(
      `debugger: ${LARGE_ROWS} rows of 31 KB metadata read with limit=500 in answers of ${answers
        .map((a) => `${a.rows} rows/${a.bytes} bytes`)
        .join(', ')} (bound ${DEBUGGER_ANSWER_MAX_BYTES}; before issue 18, 500 such rows answered 15,637,902 bytes)`,
    );

    // Assert
    expect(answers.every((answer) => answer.bytes <= DEBUGGER_ANSWER_MAX_BYTES)).toBe(true);
    expect(answers[0]).toMatchObject({ more: true });
    expect(answers[0]!.rows).toBeLessThan(500);
    expect(answers.at(-1)).toMatchObject({ more: false });
    expect(seen.size).toBe(LARGE_ROWS);
  });

  it('answers a poll after the newest id with nothing, in a few bytes, when nothing changed', async () => {
    const http = httpOn(stack.connection);
    const newest = await newestIdOf(stack.database);

    const idle = await http.events({ after: String(newest), limit: '500' });
    const idleFailed = await http.failed({ after: String(await newestIdOf(stack.database, 'failed_events')) });

    console.log(`debugger: an idle poll after the newest id answered ${idle.bytes} bytes`);
    expect(idle.body).toEqual({ data: [], more: false });
    expect(idleFailed.body).toEqual({ data: [], more: false });
    expect(idle.bytes).toBeLessThan(30);
  });

  it('lists a preview of the metadata, cut by the database, and the read API answers it whole', async () => {
    const http = httpOn(stack.connection);
    const newest = await newestIdOf(stack.database);

    const { body } = await http.events({ after: String(newest - 1) });
    const [row] = body.data;
    const whole = await http.event(row.event_id);

    expect(row.metadata_preview).toHaveLength(DEBUGGER_PREVIEW_CHARS);
    expect(row.metadata_preview).toMatch(/^\{"row": ?599, ?"blob": ?"xxxx/);
    expect(row.truncated).toBe(true);
    expect(whole.status).toBe(200);
    expect(whole.body.metadata).toEqual(metadata(LARGE_ROWS - 1));
  });

  it('lists a preview of a failed raw body of 64 KB, and /failed/{id} answers it whole', async () => {
    const http = httpOn(stack.connection);

    const { body, bytes } = await http.failed(null);
    const [row] = body.data;
    const whole = await http.failedEvent(row.id);

    expect(bytes).toBeLessThan(1000);
    expect(row).toMatchObject({ raw_body_preview: 'y'.repeat(DEBUGGER_PREVIEW_CHARS), truncated: true });
    expect(whole.body).toMatchObject({ raw_body: failure.rawBody, reason: failure.reason, message_id: 'big-1' });
  });
});
