import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  datetime,
  index,
  int,
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
    // Keyed hashes of the event's USER_ID and ANONYMOUS_ID subjects (lib/privacy/subject-hash.ts), written by persist
    // when PRIVACY_HASH_KEY is known: what a regulation's deletion finds the rows by (issue 19).
    userHash: char('user_hash', { length: 64 }),
    anonymousHash: char('anonymous_hash', { length: 64 }),
  },
  (table) => [
    index('user_activities_user_time_idx').on(table.userId, table.occurredAt),
    index('user_activities_type_time_idx').on(table.eventType, table.occurredAt),
    index('user_activities_user_key_time_idx').on(table.userKey, table.occurredAt),
    index('user_activities_anonymous_time_idx').on(table.anonymousId, table.occurredAt),
    index('user_activities_user_hash_idx').on(table.userHash),
    index('user_activities_anonymous_hash_idx').on(table.anonymousHash),
  ],
);

/** Messages that can never be stored (not JSON, fail the schema), kept with the raw body and the reason. */
export const failedEvents = mysqlTable(
  'failed_events',
  {
    id: bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
    // sha256 of message id + body: a redelivered poison message is recorded once.
    fingerprint: char('fingerprint', { length: 64 }).notNull().unique('failed_events_fingerprint_unique'),
    messageId: varchar('message_id', { length: 255 }),
    rawBody: mediumtext('raw_body').notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
    // The identity of the failed message as keyed hashes, when it can be read (issue 19): what a deletion finds it by.
    userHash: char('user_hash', { length: 64 }),
    anonymousHash: char('anonymous_hash', { length: 64 }),
  },
  (table) => [
    index('failed_events_user_hash_idx').on(table.userHash),
    index('failed_events_anonymous_hash_idx').on(table.anonymousHash),
  ],
);

/**
 * What persist has stored, counted in the same transaction as the rows: one row per UTC minute, and the totals in the
 * row of minute 1970-01-01 00:00. `GET /api/v1/stats` and `/metrics` read these few rows instead of counting a table
 * of millions.
 */
export const activityCounts = mysqlTable('activity_counts', {
  minute: datetime('minute', { mode: 'date' }).primaryKey(),
  stored: bigint('stored', { mode: 'number', unsigned: true }).notNull().default(0),
  failed: bigint('failed', { mode: 'number', unsigned: true }).notNull().default(0),
  // Events of suppressed subjects answered as usual and kept nowhere (issue 19), by the intake or by persist.
  suppressed: bigint('suppressed', { mode: 'number', unsigned: true }).notNull().default(0),
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

/**
 * Regulations (issue 19): a request to delete or suppress the events of some people, in Segment's vocabulary. The
 * row is the audit trail and stays: type, time, number of subjects, counts, the name of the key that asked (never
 * the key). `seq` orders and pages them; `id` is the regulateId the API answers with.
 */
export const regulations = mysqlTable('regulations', {
  seq: bigint('seq', { mode: 'number', unsigned: true }).autoincrement().primaryKey(),
  id: char('id', { length: 36 }).notNull().unique('regulations_id_unique'),
  regulationType: varchar('regulation_type', { length: 32 }).notNull(),
  subjectType: varchar('subject_type', { length: 16 }).notNull(),
  subjectCount: int('subject_count', { unsigned: true }).notNull(),
  overallStatus: varchar('overall_status', { length: 16 }).notNull(),
  // T: events accepted before it are deleted, events accepted from it on are suppressed.
  createdAt: datetime('created_at', { mode: 'date', fsp: 3 }).notNull(),
  finishedAt: datetime('finished_at', { mode: 'date', fsp: 3 }),
  deletedEvents: bigint('deleted_events', { mode: 'number', unsigned: true }).notNull().default(0),
  deletedFailedEvents: bigint('deleted_failed_events', { mode: 'number', unsigned: true }).notNull().default(0),
  deletedDeadLetters: bigint('deleted_dead_letters', { mode: 'number', unsigned: true }).notNull().default(0),
  requestedBy: varchar('requested_by', { length: 64 }).notNull(),
});

/** The subjects of a regulation, as keyed hashes of their ids (lib/privacy/subject-hash.ts): never the ids. */
export const regulationSubjects = mysqlTable(
  'regulation_subjects',
  {
    regulationSeq: bigint('regulation_seq', { mode: 'number', unsigned: true }).notNull(),
    subjectHash: char('subject_hash', { length: 64 }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.regulationSeq, table.subjectHash] }),
    // persist asks, for the subjects of a batch, whether a deletion reaches them (issue 19).
    index('regulation_subjects_subject_idx').on(table.subjectHash),
  ],
);

/**
 * Who is suppressed, and when: one row per window of a subject hash (of `USER_ID\n<id>` or `ANONYMOUS_ID\n<id>`),
 * opened by a SUPPRESS_* regulation at its T (`since`) and closed by an UNSUPPRESS at its own T (`ended_at`). An event of
 * the subject accepted inside a window is not stored, even when persist reaches it after the window has closed.
 */
export const suppressions = mysqlTable(
  'suppressions',
  {
    subjectHash: char('subject_hash', { length: 64 }).notNull(),
    since: datetime('since', { mode: 'date', fsp: 3 }).notNull(),
    endedAt: datetime('ended_at', { mode: 'date', fsp: 3 }),
    regulationId: char('regulation_id', { length: 36 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.subjectHash, table.since] })],
);
