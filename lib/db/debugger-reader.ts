import { and, desc, gt, lt } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { DebuggerReader, IdWindow } from '../ports.js';
import { toActivity } from './activity-reader.js';
import { failedEvents, userActivities } from './schema.js';

/** after < id < before, either bound optional. */
const within = (id: MySqlColumn, { after, before }: IdWindow) =>
  and(after === undefined ? undefined : gt(id, after), before === undefined ? undefined : lt(id, before));

/**
 * Reads for the live debugger. Each is a range on the primary key read backwards from its top and stopped after
 * `limit` rows (no OFFSET, no sort, no count), so a table of millions costs what a table of hundreds does. Newest first
 * even after `after`: when more rows than `limit` arrived since the last read, the newest ones are the ones to show.
 */
export const createDrizzleDebuggerReader = (db: MySql2Database): DebuggerReader => ({
  async listEvents(window) {
    const rows = await db
      .select()
      .from(userActivities)
      .where(within(userActivities.id, window))
      .orderBy(desc(userActivities.id))
      .limit(window.limit);
    return rows.map((row) => ({ id: row.id, stored_at: row.createdAt.toISOString(), ...toActivity(row) }));
  },

  async listFailedEvents(window) {
    const rows = await db
      .select({
        id: failedEvents.id,
        createdAt: failedEvents.createdAt,
        messageId: failedEvents.messageId,
        reason: failedEvents.reason,
        rawBody: failedEvents.rawBody,
      })
      .from(failedEvents)
      .where(within(failedEvents.id, window))
      .orderBy(desc(failedEvents.id))
      .limit(window.limit);
    return rows.map((row) => ({
      id: row.id,
      stored_at: row.createdAt.toISOString(),
      message_id: row.messageId,
      reason: row.reason,
      raw_body: row.rawBody,
    }));
  },
});
