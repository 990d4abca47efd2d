import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { ActivityMessage } from '../activity-schema.js';
import { toMillis } from '../iso-date-time.js';
import type { ActivityStore, FailedEvent } from '../ports.js';
import { correctedTime } from '../skew.js';
import { failedEvents, userActivities } from './schema.js';

const toRow = (message: ActivityMessage): typeof userActivities.$inferInsert => {
  const occurredAt = toMillis(message.timestamp);
  const receivedAt = toMillis(message.received_at);
  const sentAt = message.sent_at === undefined ? undefined : toMillis(message.sent_at);
  const corrected = correctedTime(occurredAt, sentAt, receivedAt);
  return {
    eventId: message.event_id.toLowerCase(),
    userId: message.user_id,
    eventType: message.event_type,
    occurredAt: new Date(occurredAt),
    receivedAt: new Date(receivedAt),
    sentAt: sentAt === undefined ? null : new Date(sentAt),
    correctedAt: corrected === undefined ? null : new Date(corrected),
    metadata: message.metadata ?? null,
  };
};

// Keeps each statement well under max_allowed_packet (16 MB by default on MariaDB, 64 MB on MySQL 8).
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
const ROW_OVERHEAD_BYTES = 256;

/** Splits rows into runs whose estimated SQL size stays under MAX_STATEMENT_BYTES (normally: one run). */
const chunkBySize = <T>(rows: T[], size: (row: T) => number): T[][] => {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const rowBytes = size(row) + ROW_OVERHEAD_BYTES;
    if (current.length > 0 && bytes + rowBytes > MAX_STATEMENT_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += rowBytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

const fingerprint = (event: FailedEvent): string =>
  createHash('sha256').update(`${event.messageId ?? ''}\n${event.rawBody}`).digest('hex');

/**
 * Drizzle adapter. Each call is one multi-row INSERT (split only if it would be several MB); `ON DUPLICATE KEY UPDATE id = id` makes a repeated event_id a
 * no-op (unlike INSERT IGNORE, which would also swallow real errors such as truncation).
 */
export const createDrizzleStore = (db: MySql2Database): ActivityStore => ({
  async insertActivities(messages) {
    const rows = messages.map(toRow);
    for (const chunk of chunkBySize(rows, (row) => (row.metadata ? JSON.stringify(row.metadata).length : 0))) {
      await db
        .insert(userActivities)
        .values(chunk)
        .onDuplicateKeyUpdate({ set: { id: sql`${userActivities.id}` } });
    }
  },
  async insertFailedEvents(events) {
    if (events.length === 0) return;
    await db
      .insert(failedEvents)
      .values(events.map((event) => ({ ...event, fingerprint: fingerprint(event) })))
      .onDuplicateKeyUpdate({ set: { id: sql`${failedEvents.id}` } });
  },
});
