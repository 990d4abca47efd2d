import type { ActivityMessage } from './activity/activity-schema.js';
import type { QueuedMessage } from './activity/queued-message.js';
import type { PublishError } from './errors.js';
import type { PlanViolation, ViolationCount } from './plan/violation.js';
import type { SubjectType } from './privacy/subject-hash.js';
import type { Regulation, RegulationType } from './regulations/regulation-schema.js';

/** Hands accepted events to the broker; an event counts as published only once the broker has confirmed it. */
export interface EventPublisher {
  /** Resolves on the broker's confirm; rejects with a PublishError when there is none. */
  publish(message: QueuedMessage): Promise<void>;
  /** Publishes several at once; for each, in order, undefined once confirmed or the PublishError saying why not. */
  publishAll(messages: QueuedMessage[]): Promise<Array<PublishError | undefined>>;
}

/** A message from the queue that can never be stored, kept with its raw body and the reason. */
export interface FailedEvent {
  messageId: string | null;
  /** The event_id the body names, when it is JSON with one (for the logs; the raw body keeps it anyway). */
  eventId: string | null;
  rawBody: string;
  reason: string;
  /**
   * The reason as the logs give it: by rule and position, without anything the client wrote (its key names, its
   * message ids), which may be personal data (issue 19). Not stored.
   */
  loggedReason: string;
  /**
   * Whose message it is, when that can be read (its user_id, user_key, anonymous_id): stored only as keyed hashes,
   * so a regulation's deletion finds it (issue 19).
   */
  identity?: { user_id?: unknown; user_key?: unknown; anonymous_id?: unknown };
}

/** How many rows a write added; what it left out was there already. */
export interface Inserted {
  inserted: number;
  /** The event ids of a batch left out because their subject is suppressed (issue 19); absent when none were. */
  suppressed?: string[];
}

/**
 * Where activities are stored. Both inserts are idempotent: repeating them never adds a row. The violations of the
 * flagged events a write adds are counted with it; those of refused events are added by countPlanViolations.
 */
export interface ActivityStore {
  insertActivities(messages: ActivityMessage[]): Promise<Inserted>;
  insertFailedEvents(events: FailedEvent[]): Promise<Inserted>;
  countPlanViolations(counts: ViolationCount[]): Promise<void>;
}

/** An activity as the read API returns it. */
export interface StoredActivity {
  event_id: string;
  /** The native integer user; 0 when the event names its user only by user_key or anonymous_id. */
  user_id: number;
  /** A Segment call's userId as sent, and its anonymousId; absent for native events, whose answers do not change. */
  user_key?: string;
  anonymous_id?: string;
  event_type: string;
  timestamp: string;
  received_at: string;
  sent_at: string | null;
  corrected_at: string | null;
  metadata: Record<string, unknown> | null;
  /** How the event breaks the tracking plan, when the plan flagged it; absent otherwise. */
  plan_violations?: PlanViolation[];
}

/** Keyset position: the last row of the previous page (newest first). */
export interface ActivityCursor {
  occurredAt: Date;
  id: number;
}

/** Whose events: a native user_id, a Segment userId (user_key) or an anonymousId. */
export type ActivityOwner = { userId: number } | { userKey: string } | { anonymousId: string };

export interface ActivityQuery {
  owner: ActivityOwner;
  eventType?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after?: ActivityCursor;
}

export interface ActivityPage {
  data: StoredActivity[];
  next?: ActivityCursor;
}

/** Reads what persist stored. */
export interface ActivityReader {
  findEvent(eventId: string): Promise<StoredActivity | undefined>;
  listUserActivities(query: ActivityQuery): Promise<ActivityPage>;
}

/** A dependency the health check can probe. */
export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}

/** A queue as the broker counts it. */
export interface QueueDepth {
  name: string;
  /** Messages ready for delivery (not those delivered and awaiting an ack). */
  messages: number;
  consumers: number;
}

/** Reads the depths of the event queues (one per shard) and their dead-letter queues from the broker. */
export interface QueueInspector {
  inspectQueues(): Promise<{ queues: QueueDepth[]; deadLetters: QueueDepth[] }>;
}

/** What persist has stored, read from the counters it keeps and the newest rows (a few index lookups). */
export interface StoredStats {
  storedTotal: number;
  failedTotal: number;
  /** Events of suppressed subjects answered as usual and kept nowhere (issue 19). */
  suppressedTotal: number;
  /** The last 15 UTC minutes, oldest first, the current one included; minutes with nothing stored count 0. */
  storedPerMinute: Array<{ minute: Date; count: number }>;
  newestStoredAt: Date | null;
  /** Seconds since the newest row was stored, by the database's clock (the one that stamped it). */
  newestAgeSeconds: number | null;
  newestFailed: { at: Date; reason: string } | null;
  /** Tracking plan violations by (event_type, rule): refused ones as answered, flagged ones as stored. */
  planViolations: Array<{ eventType: string; rule: string; rejected: number; flagged: number }>;
}

export interface StatsReader {
  readStoredStats(): Promise<StoredStats>;
}

/** Ids from..to, both included. */
export interface IdRange {
  from: number;
  to: number;
}

/**
 * A keyset window on a table's primary key, newest (highest id) first: rows with after < id < before, plus those
 * below `before` whose id is in one of `missing` (ids at or below `after` the reader has not got yet).
 */
export interface IdWindow {
  after?: number;
  before?: number;
  missing?: IdRange[];
  limit: number;
}

/** Characters of a long text (metadata, a failed event's reason and raw body) a debugger list carries. */
export const DEBUGGER_PREVIEW_CHARS = 200;

/**
 * A stored activity as the debugger lists it: the read API's fields with the row id and when it was stored, and of
 * its metadata only the first DEBUGGER_PREVIEW_CHARS characters of its JSON text (`truncated` when there is more;
 * the whole event is one `GET /api/v1/events/{event_id}` away).
 */
export interface DebuggerEventPreview extends Omit<StoredActivity, 'metadata'> {
  id: number;
  stored_at: string;
  metadata_preview: string | null;
  truncated: boolean;
}

/** A failed_events row: a message persist could never store. */
export interface StoredFailedEvent {
  id: number;
  stored_at: string;
  message_id: string | null;
  reason: string;
  raw_body: string;
}

/** A failed_events row as the debugger lists it: its reason and raw body cut as a DebuggerEventPreview's metadata. */
export interface FailedEventPreview {
  id: number;
  stored_at: string;
  message_id: string | null;
  reason_preview: string;
  raw_body_preview: string;
  truncated: boolean;
}

/**
 * The live debugger's reads: keyset windows on the primary keys, so millions of rows cost no more than a few, and
 * previews of the long texts cut by the database, so a list never brings a whole 32 KB metadata into the process.
 */
export interface DebuggerReader {
  listEvents(window: IdWindow): Promise<DebuggerEventPreview[]>;
  listFailedEvents(window: IdWindow): Promise<FailedEventPreview[]>;
  findFailedEvent(id: number): Promise<StoredFailedEvent | undefined>;
}

/** A regulation as the API receives it, its subjects already hashed (the ids themselves are kept nowhere). */
export interface NewRegulation {
  id: string;
  regulationType: RegulationType;
  subjectType: SubjectType;
  subjectHashes: string[];
  /** The name of the key that asked (`ADMIN_API_KEYS #2`), never the key. */
  requestedBy: string;
  /** T: what was accepted before it is deleted, what is accepted from it on is suppressed. */
  createdAt: Date;
  /**
   * When given, T is read from this clock once the regulation's rows are written, that is once every batch persist
   * had in flight for these subjects has committed (its shared locks held the writes back); `createdAt` is then only
   * provisional. So no event accepted from T on is stored by a batch that began before the regulation was recorded.
   */
  clock?: () => Date;
}

/** Keyset position in the list of regulations, newest first: the internal sequence of the last one shown. */
export interface RegulationPage {
  data: Regulation[];
  next?: number;
}

/** Where regulations are kept; a suppression takes effect in the same transaction that records it. */
export interface RegulationStore {
  createRegulation(regulation: NewRegulation): Promise<Regulation>;
  findRegulation(id: string): Promise<Regulation | undefined>;
  listRegulations(page: { limit: number; before?: number }): Promise<RegulationPage>;
}

/** A deletion waiting for or in the middle of its run (issue 19). */
export interface PendingErasure {
  seq: number;
  id: string;
  subjectType: SubjectType;
  /** T: what was accepted before it goes. */
  createdAt: Date;
}

/** What the deletion runner reads and removes; each removal is one bounded transaction that also counts it. */
export interface ErasureStore {
  /** Runs `work` only if no other runner is working (one at a time, across processes); false if one was. */
  exclusively(work: () => Promise<void>): Promise<boolean>;
  nextPending(): Promise<PendingErasure | undefined>;
  markRunning(seq: number): Promise<void>;
  /** The regulation's subject hashes after `after`, in order, at most `limit`. */
  subjectHashes(seq: number, after: string | undefined, limit: number): Promise<string[]>;
  /** Deletes at most `limit` rows of these subjects accepted before T; how many it deleted. */
  eraseEvents(erasure: PendingErasure, hashes: string[], limit: number): Promise<number>;
  eraseFailedEvents(erasure: PendingErasure, hashes: string[], limit: number): Promise<number>;
  /**
   * Gives at most `limit` rows stored without subject hashes (before this version, or by a tool) their hashes, so a
   * deletion finds them; how many it gave.
   */
  hashUnhashed(limit: number): Promise<number>;
  /** Whether any row or failed event of the regulation's subjects from before T is left. */
  anyLeft(erasure: PendingErasure): Promise<boolean>;
  finish(seq: number): Promise<void>;
}
