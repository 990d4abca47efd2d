/** What the Drizzle adapters share of writing SQL values and reading results (MySQL 8 and MariaDB alike). */

/** The activity_counts row that holds the totals (schema.ts: the row of minute 1970-01-01 00:00). */
export const TOTALS_MINUTE = '1970-01-01 00:00:00';

/**
 * The rows an INSERT, UPDATE or DELETE run through `db.execute` changed. The pool is made with -FOUND_ROWS
 * (client.ts), so a duplicate that `ON DUPLICATE KEY UPDATE id = id` leaves alone counts 0.
 */
export const affectedRows = (result: unknown): number => (result as [{ affectedRows?: number }])[0]?.affectedRows ?? 0;

/** A time as DATETIME(3) text in UTC, as the columns hold it. */
export const toDatetime = (time: number | Date): string => new Date(time).toISOString().slice(0, 23).replace('T', ' ');
