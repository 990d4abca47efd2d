import { and, between, desc, eq, getTableColumns, gt, lt, or, sql } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import { DEBUGGER_PREVIEW_CHARS, type DebuggerReader, type IdWindow } from '../ports.js';
import { toActivity } from './activity-reader.js';
import { failedEvents, userActivities } from './schema.js';

/** (after < id, or id in one of `missing`) and id < before; each bound optional. */
const within = (id: MySqlColumn, { after, before, missing = [] }: IdWindow) => {
  const newer = after === undefined ? undefined : gt(id, after);
  const wanted =
    newer === undefined || missing.length === 0
      ? newer
      : or(newer, ...missing.map((range) => between(id, range.from, range.to)));
  return and(wanted, before === undefined ? undefined : lt(id, before));
};

// The database cuts the text, so a list never brings a whole 32 KB value into the process. CAST(… AS CHAR) is the
// JSON text on MySQL 8 (a binary JSON type there) and the stored text on MariaDB (JSON is LONGTEXT); LEFT and
// CHAR_LENGTH count characters on both.
const preview = (column: MySqlColumn) => sql<string | null>`LEFT(CAST(${column} AS CHAR), ${DEBUGGER_PREVIEW_CHARS})`;
const longer = (column: MySqlColumn) =>
  sql<number>`COALESCE(CHAR_LENGTH(CAST(${column} AS CHAR)), 0) > ${DEBUGGER_PREVIEW_CHARS}`;

const { metadata: _whole, ...activityColumns } = getTableColumns(userActivities);

/**
 * Reads for the live debugger. Each is a range on the primary key read backwards from its top and stopped after
 * `limit` rows (no OFFSET, no sort, no count), so a table of millions costs what a table of hundreds does. Newest first
 * even after `after`: when more rows than `limit` arrived since the last read, the newest ones are the ones to show.
 */
export const createDrizzleDebuggerReader = (db: MySql2Database): DebuggerReader => ({
  async listEvents(window) {
    const rows = await db
      .select({
        ...activityColumns,
        metadataPreview: preview(userActivities.metadata),
        truncated: longer(userActivities.metadata),
      })
      .from(userActivities)
      .where(within(userActivities.id, window))
      .orderBy(desc(userActivities.id))
      .limit(window.limit);
    return rows.map(({ metadataPreview, truncated, ...row }) => {
      const { metadata: _none, ...activity } = toActivity({ ...row, metadata: null });
      return {
        id: row.id,
        stored_at: row.createdAt.toISOString(),
        ...activity,
        metadata_preview: metadataPreview,
        truncated: Number(truncated) === 1,
      };
    });
  },

  async listFailedEvents(window) {
    const rows = await db
      .select({
        id: failedEvents.id,
        createdAt: failedEvents.createdAt,
        messageId: failedEvents.messageId,
        reasonPreview: preview(failedEvents.reason),
        rawBodyPreview: preview(failedEvents.rawBody),
        truncated: sql<number>`${longer(failedEvents.reason)} OR ${longer(failedEvents.rawBody)}`,
      })
      .from(failedEvents)
      .where(within(failedEvents.id, window))
      .orderBy(desc(failedEvents.id))
      .limit(window.limit);
    return rows.map((row) => ({
      id: row.id,
      stored_at: row.createdAt.toISOString(),
      message_id: row.messageId,
      reason_preview: row.reasonPreview ?? '',
      raw_body_preview: row.rawBodyPreview ?? '',
      truncated: Number(row.truncated) === 1,
    }));
  },

  async findFailedEvent(id) {
    const [row] = await db.select().from(failedEvents).where(eq(failedEvents.id, id)).limit(1);
    return row
      ? {
          id: row.id,
          stored_at: row.createdAt.toISOString(),
          message_id: row.messageId,
          reason: row.reason,
          raw_body: row.rawBody,
        }
      : undefined;
  },
});
