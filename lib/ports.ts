import type { ActivityMessage } from './activity-schema.js';

/** Hands an accepted event to the broker; resolves only once the broker has confirmed it. */
export interface EventPublisher {
  publish(message: ActivityMessage): Promise<void>;
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

/** A dependency the health check can probe. */
export interface HealthProbe {
  name: string;
  check(): Promise<void>;
}
