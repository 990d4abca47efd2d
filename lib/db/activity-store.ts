import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { ActivityMessage } from '../activity-schema.js';
import { toUtcIso } from '../iso-date-time.js';
import type { ActivityStore, FailedEvent } from '../ports.js';
import { correctedTime } from '../skew.js';
import { failedEvents, userActivities } from './schema.js';

const toRow = (message: ActivityMessage): typeof userActivities.$inferInsert => {
  const receivedAt = new Date(toUtcIso(message.received_at));
  const corrected = correctedTime(message, receivedAt.getTime());
  return {
    eventId: message.event_id.toLowerCase(),
    userId: message.user_id,
    eventType: message.event_type,
    occurredAt: new Date(toUtcIso(message.timestamp)),
    receivedAt,
    sentAt: message.sent_at === undefined ? null : new Date(toUtcIso(message.sent_at)),
    correctedAt: corrected === undefined ? null : new Date(corrected),
    metadata: message.metadata ?? null,
  };
};

const fingerprint = (event: FailedEvent): string =>
  createHash('sha256').update(`${event.messageId ?? ''}\n${event.rawBody}`).digest('hex');

/**
 * Drizzle adapter. Each call is one multi-row INSERT; `ON DUPLICATE KEY UPDATE id = id` makes a repeated event_id a
 * no-op (unlike INSERT IGNORE, which would also swallow real errors such as truncation).
 */
export const createDrizzleStore = (db: MySql2Database): ActivityStore => ({
  async insertActivities(messages) {
    if (messages.length === 0) return;
    await db
      .insert(userActivities)
      .values(messages.map(toRow))
      .onDuplicateKeyUpdate({ set: { id: sql`${userActivities.id}` } });
  },
  async insertFailedEvents(events) {
    if (events.length === 0) return;
    await db
      .insert(failedEvents)
      .values(events.map((event) => ({ ...event, fingerprint: fingerprint(event) })))
      .onDuplicateKeyUpdate({ set: { id: sql`${failedEvents.id}` } });
  },
});
