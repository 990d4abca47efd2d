import type { ActivityMessage } from './activity/activity-schema.js';
import type { PublishError } from './errors.js';

/** Hands accepted events to the broker; an event counts as published only once the broker has confirmed it. */
export interface EventPublisher {
  /** Resolves on the broker's confirm; rejects with a PublishError when there is none. */
  publish(message: ActivityMessage): Promise<void>;
  /** Publishes several at once; for each, in order, undefined once confirmed or the PublishError saying why not. */
  publishAll(messages: ActivityMessage[]): Promise<Array<PublishError | undefined>>;
}

/** A message from the queue that can never be stored, kept with its raw body and the reason. */
export interface FailedEvent {
  messageId: string | null;
  rawBody: string;
  reason: string;
}

/** Where activities are stored. Both writes are idempotent: repeating them never adds a row. */
export interface ActivityStore {
  insertActivities(messages: ActivityMessage[]): Promise<void>;
  insertFailedEvents(events: FailedEvent[]): Promise<void>;
}

/** An activity as the read API returns it. */
export interface StoredActivity {
  event_id: string;
  user_id: number;
  event_type: string;
  timestamp: string;
  received_at: string;
  sent_at: string | null;
  corrected_at: string | null;
  metadata: Record<string, unknown> | null;
}

/** Keyset position: the last row of the previous page (newest first). */
export interface ActivityCursor {
  occurredAt: Date;
  id: number;
}

export interface ActivityQuery {
  userId: number;
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
