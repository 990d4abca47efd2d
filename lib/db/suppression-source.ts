import { isNull, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { SuppressionSource } from '../privacy/suppression-list.js';
import { activityCounts, suppressions } from './schema.js';
import { TOTALS_MINUTE } from './sql-values.js';

/** The suppressions table as the intake's list reads it, and the suppressed counter of activity_counts. */
export const createDrizzleSuppressionSource = (db: MySql2Database): SuppressionSource => ({
  async readVersion() {
    const [row] = await db
      .select({
        windows: sql<number>`COUNT(*)`,
        opened: sql<string | null>`MAX(${suppressions.since})`,
        closed: sql<string | null>`MAX(${suppressions.endedAt})`,
      })
      .from(suppressions);
    return `${row?.windows}/${row?.opened}/${row?.closed}`;
  },
  async readOpenWindows() {
    const rows = await db
      .select({ hash: suppressions.subjectHash, since: suppressions.since })
      .from(suppressions)
      .where(isNull(suppressions.endedAt));
    const windows = new Map<string, number>();
    for (const { hash, since } of rows) {
      const earliest = windows.get(hash);
      if (earliest === undefined || since.getTime() < earliest) windows.set(hash, since.getTime());
    }
    return windows;
  },
  async countSuppressed(count) {
    await db.execute(
      sql`INSERT INTO ${activityCounts} (minute, suppressed)
          VALUES (DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:00'), ${count}), (${TOTALS_MINUTE}, ${count})
          ON DUPLICATE KEY UPDATE suppressed = suppressed + VALUES(suppressed)`,
    );
  },
});
