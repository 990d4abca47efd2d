import { describe, expect, it } from 'vitest';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { UnstorableEventsError } from '../../lib/errors.js';
import type { ActivityStore, FailedEvent } from '../../lib/ports.js';
import { activityMessage, decodeRules, lambdaContext, rmqEvent } from '../../test/factories.js';
import { createPersistHandler } from './handler.js';

/** An in-memory store that refuses what `refuses` picks: with a driver-like error code, as mysql2 reports one. */
const memoryStore = (refuses: (message: ActivityMessage) => string | undefined = () => undefined) => {
  const rows = new Map<string, ActivityMessage>();
  const failed: FailedEvent[] = [];
  const store: ActivityStore = {
    async insertActivities(messages) {
      const code = messages.map(refuses).find(Boolean);
      if (code) throw Object.assign(new Error(`refused (${code})`), { code });
      const before = rows.size;
      for (const message of messages) if (!rows.has(message.event_id)) rows.set(message.event_id, message);
      return { inserted: rows.size - before };
    },
    async insertFailedEvents(events) {
      failed.push(...events);
      return { inserted: events.length };
    },
    async countPlanViolations() {},
  };
  return { rows, failed, store };
};

const persist = (store: ActivityStore) => createPersistHandler({ store, rules: decodeRules() });

describe('persist (function level, real middy stack)', () => {
  it('stores every valid message of a batch once, even when the batch repeats one', async () => {
    const { rows, store } = memoryStore();
    const [a, b] = [activityMessage(), activityMessage()];

    const result = await persist(store)(rmqEvent([a, b, a]), lambdaContext());

    expect(result).toEqual({ stored: 3, failed: 0 });
    expect([...rows.keys()].sort()).toEqual([a.event_id, b.event_id].sort());
  });

  it.each([
    ['not JSON', 'not json', /message body is not JSON/],
    ['not UTF-8', Buffer.from([0xc3, 0x28]), /not valid UTF-8/],
    ['off-schema', JSON.stringify({ user_id: 'x' }), /message fails the schema: .*user_id must be integer/],
  ])(
    'records a message that is %s in failed_events with its reason and stores the rest',
    async (_case, body, reason) => {
      const { rows, failed, store } = memoryStore();
      const good = activityMessage();

      await persist(store)(rmqEvent([good, body]), lambdaContext());

      expect([...rows.keys()]).toEqual([good.event_id]);
      expect(failed).toEqual([
        {
          messageId: null,
          eventId: null,
          rawBody: expect.any(String),
          reason: expect.stringMatching(reason),
          loggedReason: expect.stringMatching(reason),
          ...(typeof body === 'string' && body.startsWith('{') ? { identity: JSON.parse(body) } : {}),
        },
      ]);
    },
  );

  it('throws when the database is unreachable, so the whole batch is delivered again', async () => {
    const { rows, store } = memoryStore(() => 'ECONNREFUSED');

    await expect(persist(store)(rmqEvent([activityMessage(), activityMessage()]), lambdaContext())).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(rows.size).toBe(0);
  });

  it('stores the rest of a batch when the database refuses one event, then fails naming that event', async () => {
    const refused = activityMessage({ event_type: 'refused' });
    const { rows, store } = memoryStore((m) =>
      m.event_type === 'refused' ? 'ER_CHECK_CONSTRAINT_VIOLATED' : undefined,
    );
    const others = [activityMessage(), activityMessage()];

    const failure = persist(store)(rmqEvent([others[0]!, refused, others[1]!]), lambdaContext());

    await expect(failure).rejects.toBeInstanceOf(UnstorableEventsError);
    await expect(failure).rejects.toThrow(refused.event_id);
    expect([...rows.keys()].sort()).toEqual(others.map((m) => m.event_id).sort());
  });
});
