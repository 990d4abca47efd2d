import { desc, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { StatsReader } from '../ports.js';
import { activityCounts, failedEvents, planViolationCounts, userActivities } from './schema.js';
import { TOTALS_MINUTE } from './sql-values.js';

const MINUTES = 15;
const MINUTE_MS = 60_000;
// The totals row (activity-store.ts).
const TOTALS = new Date(0);

// Times come from the database's clock, the one that stamped created_at and the counters' minutes.
const utcNow = sql<string>`DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%fZ')`;

/**
 * Every read is a primary-key lookup or a short range on it: the totals row, the last 15 minutes' rows, and the
 * newest row of each table by id; and the violation counters, a row per (plan type, rule). Nothing counts or scans
 * user_activities.
 */
export const createDrizzleStatsReader = (db: MySql2Database): StatsReader => ({
  async readStoredStats() {
    const [[clock], counts, [newest], [failed], planViolations] = await Promise.all([
      db.select({ now: utcNow }).from(sql`DUAL`),
      db
        .select()
        .from(activityCounts)
        .where(
          sql`${activityCounts.minute} = ${TOTALS_MINUTE}
              OR ${activityCounts.minute} >= DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL ${MINUTES - 1} MINUTE, '%Y-%m-%d %H:%i:00')`,
        ),
      db.select({ at: userActivities.createdAt }).from(userActivities).orderBy(desc(userActivities.id)).limit(1),
      db
        .select({ at: failedEvents.createdAt, reason: failedEvents.reason })
        .from(failedEvents)
        .orderBy(desc(failedEvents.id))
        .limit(1),
      db.select().from(planViolationCounts).orderBy(planViolationCounts.eventType, planViolationCounts.rule),
    ]);
    const now = new Date(clock?.now.replace(/(\.\d{3})\d*Z$/, '$1Z') ?? Date.now());
    const totals = counts.find((row) => row.minute.getTime() === TOTALS.getTime());
    const byMinute = new Map(counts.map((row) => [row.minute.getTime(), row.stored]));
    const current = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
    const storedPerMinute = Array.from({ length: MINUTES }, (_, i) => {
      const minute = current - (MINUTES - 1 - i) * MINUTE_MS;
      return { minute: new Date(minute), count: byMinute.get(minute) ?? 0 };
    });
    return {
      storedTotal: totals?.stored ?? 0,
      failedTotal: totals?.failed ?? 0,
      suppressedTotal: totals?.suppressed ?? 0,
      storedPerMinute,
      newestStoredAt: newest?.at ?? null,
      newestAgeSeconds: newest ? Math.max(0, (now.getTime() - newest.at.getTime()) / 1000) : null,
      newestFailed: failed ? { at: failed.at, reason: failed.reason } : null,
      planViolations,
    };
  },
});
