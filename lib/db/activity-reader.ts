import { and, desc, eq, gte, lt, or, type SQL } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { ActivityOwner, ActivityQuery, ActivityReader, StoredActivity } from '../ports.js';
import { sameText } from './same-text.js';
import { userActivities } from './schema.js';

type Row = typeof userActivities.$inferSelect;

// MariaDB keeps JSON as LONGTEXT, so the driver may hand back text where MySQL 8 gives an object.
const parseJson = (value: unknown): Record<string, unknown> | null =>
  (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;

/** A user_activities row as the read API returns it (the debugger's reads use it too). */
export const toActivity = (row: Row): StoredActivity => ({
  event_id: row.eventId,
  user_id: row.userId,
  event_type: row.eventType,
  timestamp: row.occurredAt.toISOString(),
  received_at: row.receivedAt.toISOString(),
  sent_at: row.sentAt?.toISOString() ?? null,
  corrected_at: row.correctedAt?.toISOString() ?? null,
  metadata: parseJson(row.metadata),
  ...(row.userKey === null ? {} : { user_key: row.userKey }),
  ...(row.anonymousId === null ? {} : { anonymous_id: row.anonymousId }),
  ...(row.planViolations === null ? {} : { plan_violations: parseJson(row.planViolations) as never }),
});

// Each owner has its own (owner, occurred_at) index.
const ownedBy = (owner: ActivityOwner): SQL => {
  if ('userId' in owner) return eq(userActivities.userId, owner.userId);
  if ('userKey' in owner) return sameText(userActivities.userKey, owner.userKey);
  return sameText(userActivities.anonymousId, owner.anonymousId);
};

/** Drizzle reads. Plain selects only: drizzle's relational queries use LATERAL, which MariaDB lacks. */
export const createDrizzleReader = (db: MySql2Database): ActivityReader => ({
  async findEvent(eventId) {
    const [row] = await db
      .select()
      .from(userActivities)
      .where(eq(userActivities.eventId, eventId.toLowerCase()))
      .limit(1);
    return row ? toActivity(row) : undefined;
  },

  // Newest first by (occurred_at, id), served by the owner's (owner, occurred_at) index; keyset, so deep pages stay
  // cheap.
  async listUserActivities({ owner, eventType, from, to, limit, after }: ActivityQuery) {
    const conditions: Array<SQL | undefined> = [
      ownedBy(owner),
      eventType === undefined ? undefined : eq(userActivities.eventType, eventType),
      from === undefined ? undefined : gte(userActivities.occurredAt, from),
      to === undefined ? undefined : lt(userActivities.occurredAt, to),
      after === undefined
        ? undefined
        : or(
            lt(userActivities.occurredAt, after.occurredAt),
            and(eq(userActivities.occurredAt, after.occurredAt), lt(userActivities.id, after.id)),
          ),
    ];
    const rows = await db
      .select()
      .from(userActivities)
      .where(and(...conditions))
      .orderBy(desc(userActivities.occurredAt), desc(userActivities.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toActivity),
      ...(rows.length > limit && last ? { next: { occurredAt: last.occurredAt, id: last.id } } : {}),
    };
  },
});
