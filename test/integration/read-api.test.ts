import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetEventHandler } from '../../functions/get-event/handler.js';
import { createListActivitiesHandler } from '../../functions/list-activities/handler.js';
import { createDrizzleReader } from '../../lib/db/activity-reader.js';
import { createDrizzleStore } from '../../lib/db/activity-store.js';
import { createDatabase } from '../../lib/db/client.js';
import { runConfig } from '../../tools/run-config.js';
import { Database } from '../../tools/services.js';
import { activityMessage, httpEvent, lambdaContext } from '../factories.js';
import { openApiErrors } from '../support/openapi-schemas.js';

const USER = 7001;

describe('read API (function level, real MariaDB)', () => {
  const config = runConfig('read');
  const connection = createDatabase(config);
  const reader = createDrizzleReader(connection.db);
  const getEvent = createGetEventHandler({ reader });
  const listActivities = createListActivitiesHandler({ reader });
  let database: Database;
  const skewed = activityMessage({
    user_id: USER,
    event_type: 'skewed',
    timestamp: '2026-02-19T10:00:00.000Z',
    sent_at: '2026-02-19T10:00:30.000Z',
    received_at: '2026-02-19T09:00:30.000Z',
  });
  // 12 events a minute apart, two of them at the same instant to exercise the (occurred_at, id) tiebreak.
  const times = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 1, 20, 12, i)).toISOString());
  times[5] = times[4]!;
  const events = times.map((timestamp, i) =>
    activityMessage({ user_id: USER, event_type: i % 3 === 0 ? 'login' : 'view', timestamp, received_at: timestamp }),
  );

  // Segment-format events (issue 10): a string userId, an anonymousId only, and a numeric userId that is USER too.
  const byEmail = activityMessage({ user_id: 0, user_key: 'Ana@example.com', event_type: 'Signed Up' });
  const sameEmailOtherCase = activityMessage({ user_id: 0, user_key: 'ana@example.com' });
  const anonymous = activityMessage({ user_id: 0, anonymous_id: 'anon-7', event_type: '$page' });
  // utf8mb4_bin pads with spaces: these two must not be confused (issue 19).
  const victim = activityMessage({ user_id: 0, user_key: 'victim', anonymous_id: 'anon-v' });
  const victimSpace = activityMessage({ user_id: 0, user_key: 'victim ', anonymous_id: 'anon-v ' });
  const numeric = activityMessage({
    user_id: USER,
    user_key: String(USER),
    event_type: '$identify',
    timestamp: '2026-02-18T00:00:00.000Z',
  });

  beforeAll(async () => {
    database = await Database.create(config);
    const store = createDrizzleStore(connection.db);
    await store.insertActivities([skewed, ...events, activityMessage({ user_id: USER + 1 })]);
    await store.insertActivities([byEmail, sameEmailOtherCase, anonymous, numeric, victim, victimSpace]);
  });

  afterAll(async () => {
    await connection.pool.end();
    await database.drop();
  });

  const getWith = async (eventId: string) => {
    const event = {
      ...httpEvent({ method: 'GET', path: `/api/v1/events/${eventId}`, headers: {} }),
      pathParameters: { event_id: eventId },
    };
    const response = await getEvent(event as never, lambdaContext());
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  const list = async (userId: string, query: Record<string, string> = {}) => {
    const event = {
      ...httpEvent({ method: 'GET', path: `/api/v1/users/${userId}/activities`, headers: {} }),
      pathParameters: { user_id: userId },
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    };
    const response = await listActivities(event as never, lambdaContext());
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it('returns a stored event with its skew-corrected time', async () => {
    const { status, body } = await getWith(skewed.event_id.toUpperCase());

    expect(status).toBe(200);
    expect(openApiErrors('StoredActivity', body)).toEqual([]);
    expect(body).toEqual({
      event_id: skewed.event_id,
      user_id: USER,
      event_type: 'skewed',
      timestamp: '2026-02-19T10:00:00.000Z',
      received_at: '2026-02-19T09:00:30.000Z',
      sent_at: '2026-02-19T10:00:30.000Z',
      corrected_at: '2026-02-19T09:00:00.000Z',
      metadata: { path: '/home' },
    });
  });

  it('answers 404 for an unknown event and 400 for an id that is not a UUID', async () => {
    const unknown = randomUUID();
    expect(await getWith(unknown)).toEqual({
      status: 404,
      body: {
        status: 404,
        error: 'Not Found',
        message: `No event with event_id ${unknown} has been stored`,
        details: [],
      },
    });
    const bad = await getWith('not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'event_id', message: 'must be a UUID (8-4-4-4-12 hexadecimal digits)' },
    ]);
  });

  it('lists newest first and pages through every event exactly once with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const { status, body } = await list(String(USER), { limit: '5', ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      expect(openApiErrors('ActivityPage', body)).toEqual([]);
      seen.push(...body.data.map((a: { event_id: string }) => a.event_id));
      cursor = body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    const all = [skewed, ...events, numeric];
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen).size).toBe(all.length);
    const timesSeen = seen.map((id) => all.find((e) => e.event_id === id)!.timestamp);
    expect(timesSeen).toEqual([...timesSeen].sort().reverse());
  });

  it('filters by event_type and by a [from, to) window', async () => {
    const logins = await list(String(USER), { event_type: 'login' });
    expect(logins.body.data.map((a: { event_type: string }) => a.event_type)).toEqual([
      'login',
      'login',
      'login',
      'login',
    ]);

    const window = await list(String(USER), { from: times[1]!, to: times[3]! });
    expect(window.body.data.map((a: { timestamp: string }) => a.timestamp)).toEqual([times[2], times[1]]);
    expect(window.body.next_cursor).toBeNull();
  });

  it('answers an unknown user with an empty page', async () => {
    expect(await list('999999')).toEqual({ status: 200, body: { data: [], next_cursor: null } });
  });

  it.each([
    ['user_id that is not a number', 'abc', {}, 'user_id', 'must be a positive integer'],
    ['user_id above 2^53-1', '9999999999999999', {}, 'user_id', 'must be <= 9007199254740991'],
    ['limit 0', String(USER), { limit: '0' }, 'limit', 'must be an integer from 1 to 1000'],
    ['limit 1001', String(USER), { limit: '1001' }, 'limit', 'must be an integer from 1 to 1000'],
    ['from that is not a date', String(USER), { from: 'yesterday' }, 'from', 'must match format "iso8601-date-time"'],
    [
      'from with a space for the T',
      String(USER),
      { from: '2026-02-19 10:00:00' },
      'from',
      'must match format "iso8601-date-time"',
    ],
    [
      'to before from',
      String(USER),
      { from: '2026-02-20T00:00:00Z', to: '2026-02-19T00:00:00Z' },
      'to',
      'must be after from',
    ],
    ['a forged cursor', String(USER), { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor', 'is not a cursor this API returned'],
    ['an unknown parameter', String(USER), { sort: 'asc' }, 'sort', 'is not an allowed field'],
  ])('answers 400 for %s', async (_case, userId, query, field, message) => {
    const { status, body } = await list(userId, query);
    expect(status).toBe(400);
    expect(body.details).toContainEqual({ field, message });
  });

  const listByIdentity = async (query: Record<string, string> | null) => {
    const event = {
      ...httpEvent({ method: 'GET', path: '/api/v1/activities', headers: {} }),
      pathParameters: null,
      queryStringParameters: query,
    };
    const response = await listActivities(event as never, lambdaContext());
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  it("lists a Segment userId's events by user_key, exactly as sent (case matters)", async () => {
    const { status, body } = await listByIdentity({ user_key: 'Ana@example.com' });
    expect(status).toBe(200);
    expect(openApiErrors('ActivityPage', body)).toEqual([]);
    expect(body.data).toEqual([
      expect.objectContaining({ event_id: byEmail.event_id, user_id: 0, user_key: 'Ana@example.com' }),
    ]);
  });

  it.each([
    ['user_key', 'victim', victim],
    ['user_key', 'victim ', victimSpace],
    ['anonymous_id', 'anon-v', victim],
    ['anonymous_id', 'anon-v ', victimSpace],
  ])('lists by %s %j only the events of exactly that id, trailing space included', async (name, id, owner) => {
    const { body } = await listByIdentity({ [name]: id });
    expect(body.data.map((a: { event_id: string }) => a.event_id)).toEqual([owner.event_id]);
  });

  it("lists an anonymousId's events, and a numeric userId's under both its user_key and its user_id", async () => {
    const anon = await listByIdentity({ anonymous_id: 'anon-7', event_type: '$page' });
    expect(anon.body.data.map((a: { event_id: string }) => a.event_id)).toEqual([anonymous.event_id]);
    expect(anon.body.data[0]).not.toHaveProperty('user_key');

    const asKey = await listByIdentity({ user_key: String(USER) });
    expect(asKey.body.data.map((a: { event_id: string }) => a.event_id)).toEqual([numeric.event_id]);
    const asUser = await list(String(USER), { event_type: '$identify' });
    expect(asUser.body.data).toEqual([expect.objectContaining({ event_id: numeric.event_id, user_id: USER })]);
  });

  it.each([
    ['neither identity', null],
    ['both identities', { user_key: 'a', anonymous_id: 'b' }],
    ['an empty user_key', { user_key: '' }],
  ])('answers 400 to a listing by identity with %s', async (_case, query) => {
    const { status, body } = await listByIdentity(query);
    expect(status).toBe(400);
    expect(body.details.length).toBeGreaterThan(0);
  });
});
