import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  datetime,
  index,
  json,
  mediumtext,
  mysqlTable,
  primaryKey,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/mysql-core';

/** One row per accepted event. `event_id` is the idempotency key: the unique index makes redelivery harmless. */
export const userActivities = mysqlTable(
  'user_activities',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    eventId: char('event_id', { length: 36 }).notNull().unique('user_activities_event_id_unique'),
    // The native API's integer user; 0 when the event came with another identity only (the columns below).
    userId: bigint('user_id', { mode: 'number', unsigned: true }).notNull(),
    // Identities of Segment-format calls (issue 10): `userId` as the string the client sent, and `anonymousId`.
    userKey: varchar('user_key', { length: 255 }),
    anonymousId: varchar('anonymous_id', { length: 255 }),
    eventType: varchar('event_type', { length: 64 }).notNull(),
    occurredAt: datetime('occurred_at', { mode: 'date', fsp: 3 }).notNull(),
    receivedAt: datetime('received_at', { mode: 'date', fsp: 3 }).notNull(),
    // The client's own send time, and occurred_at moved onto the server clock: received_at - (sent_at - occurred_at).
    sentAt: datetime('sent_at', { mode: 'date', fsp: 3 }),
    correctedAt: datetime('corrected_at', { mode: 'date', fsp: 3 }),
    metadata: json('metadata'),
    // How the event breaks the tracking plan, when the plan flagged it (issue 20); null for every other event.
    planViolations: json('plan_violations'),
    createdAt: timestamp('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  },
  (table) => [
    index('user_activities_user_time_idx').on(table.userId, table.occurredAt),
    index('user_activities_type_time_idx').on(table.eventType, table.occurredAt),
    index('user_activities_user_key_time_idx').on(table.userKey, table.occurredAt),
    index('user_activities_anonymous_time_idx').on(table.anonymousId, table.occurredAt),
  ],
);

/** Messages that can never be stored (not JSON, fail the schema), kept with the raw body and the reason. */
export const failedEvents = mysqlTable('failed_events', {
  id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
  // sha256 of message id + body: a redelivered poison message is recorded once.
  fingerprint: char('fingerprint', { length: 64 }).notNull().unique('failed_events_fingerprint_unique'),
  messageId: varchar('message_id', { length: 255 }),
  rawBody: mediumtext('raw_body').notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
});

/**
 * What persist has stored, counted in the same transaction as the rows: one row per UTC minute, and the totals in the
 * row of minute 1970-01-01 00:00. `GET /api/v1/stats` and `/metrics` read these few rows instead of counting a table
 * of millions.
 */
export const activityCounts = mysqlTable('activity_counts', {
  minute: datetime('minute', { mode: 'date' }).primaryKey(),
  stored: bigint('stored', { mode: 'number', unsigned: true }).notNull().default(0),
  failed: bigint('failed', { mode: 'number', unsigned: true }).notNull().default(0),
});

/**
 * Tracking-plan violations counted by (event_type, rule): `rejected` by the intake as it refuses an event, `flagged`
 * by persist in the same transaction as the flagged rows it adds. event_type is a type the plan names or
 * `(unplanned)`, so the rows (and the labels of /metrics) are bounded by the plans.
 */
export const planViolationCounts = mysqlTable(
  'plan_violation_counts',
  {
    eventType: varchar('event_type', { length: 64 }).notNull(),
    rule: varchar('rule', { length: 64 }).notNull(),
    rejected: bigint('rejected', { mode: 'number', unsigned: true }).notNull().default(0),
    flagged: bigint('flagged', { mode: 'number', unsigned: true }).notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.eventType, table.rule] })],
);
