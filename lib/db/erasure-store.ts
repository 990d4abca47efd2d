import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Pool } from 'mysql2/promise';
import type { ErasureStore, PendingErasure } from '../ports.js';
import { type SubjectType, subjectHashesOf } from '../privacy/subject-hash.js';
import { activityCounts, failedEvents, regulationSubjects, regulations, userActivities } from './schema.js';
import { affectedRows, TOTALS_MINUTE, toDatetime } from './sql-values.js';

const LOCK = 'user_activity_erasure';

/** The hash column a subject type is found by, in user_activities and failed_events. */
const columns = (type: SubjectType) =>
  type === 'USER_ID'
    ? { events: userActivities.userHash, failed: failedEvents.userHash }
    : { events: userActivities.anonymousHash, failed: failedEvents.anonymousHash };

/**
 * What a deletion removes, by kind of row: the table, the time that must be before T, the regulation's count it adds
 * to and the total of activity_counts' totals row it takes them off.
 */
const ERASED = {
  events: { table: userActivities, time: userActivities.receivedAt, count: 'deleted_events', total: 'stored' },
  failed: { table: failedEvents, time: failedEvents.createdAt, count: 'deleted_failed_events', total: 'failed' },
} as const;

/** One DELETE … LIMIT of a kind of row of these subjects from before T, counted in the same short transaction. */
const eraseChunk = (
  db: MySql2Database,
  kind: keyof typeof ERASED,
  erasure: PendingErasure,
  hashes: string[],
  limit: number,
): Promise<number> => {
  const { table, time, count, total } = ERASED[kind];
  const [countColumn, totalColumn] = [sql.identifier(count), sql.identifier(total)];
  return db.transaction(async (tx) => {
    const deleted = affectedRows(
      await tx.execute(
        sql`DELETE FROM ${table} WHERE ${inArray(columns(erasure.subjectType)[kind], hashes)}
            AND ${time} < ${toDatetime(erasure.createdAt)} LIMIT ${limit}`,
      ),
    );
    if (deleted > 0) {
      await tx.execute(
        sql`UPDATE regulations SET ${countColumn} = ${countColumn} + ${deleted} WHERE seq = ${erasure.seq}`,
      );
      await tx.execute(
        sql`UPDATE ${activityCounts} SET ${totalColumn} = IF(${totalColumn} > ${deleted}, ${totalColumn} - ${deleted}, 0)
            WHERE minute = ${TOTALS_MINUTE}`,
      );
    }
    return deleted;
  });
};

/**
 * Drizzle adapter of the deletion runner. Each removal is one DELETE … LIMIT on the hash index in its own short
 * transaction, which also adds what it removed to the regulation's counts and takes it off the stored total, so the
 * counts are right after a kill -9 at any point and a rerun only finds what is left.
 */
export const createDrizzleErasureStore = (db: MySql2Database, pool: Pool, secret: string): ErasureStore => ({
  async exclusively(work) {
    // A named lock lives on one connection: held for the whole run, released even if the process dies.
    const connection = await pool.getConnection();
    try {
      const [[row]] = (await connection.query('SELECT GET_LOCK(?, 0) AS got', [LOCK])) as unknown as [
        [{ got: number }],
      ];
      if (Number(row?.got) !== 1) return false;
      try {
        await work();
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [LOCK]);
      }
      return true;
    } finally {
      connection.release();
    }
  },

  async nextPending() {
    const [row] = await db
      .select({
        seq: regulations.seq,
        id: regulations.id,
        subjectType: regulations.subjectType,
        createdAt: regulations.createdAt,
      })
      .from(regulations)
      .where(
        and(
          inArray(regulations.overallStatus, ['INITIALIZED', 'RUNNING']),
          inArray(regulations.regulationType, ['SUPPRESS_WITH_DELETE', 'DELETE_ONLY']),
        ),
      )
      .orderBy(asc(regulations.seq))
      .limit(1);
    return row === undefined ? undefined : { ...row, subjectType: row.subjectType as SubjectType };
  },

  async markRunning(seq) {
    await db.update(regulations).set({ overallStatus: 'RUNNING' }).where(eq(regulations.seq, seq));
  },

  async subjectHashes(seq, after, limit) {
    const rows = await db
      .select({ hash: regulationSubjects.subjectHash })
      .from(regulationSubjects)
      .where(
        and(
          eq(regulationSubjects.regulationSeq, seq),
          after === undefined ? undefined : gt(regulationSubjects.subjectHash, after),
        ),
      )
      .orderBy(asc(regulationSubjects.subjectHash))
      .limit(limit);
    return rows.map((row) => row.hash);
  },

  eraseEvents: (erasure, hashes, limit) => eraseChunk(db, 'events', erasure, hashes, limit),

  eraseFailedEvents: (erasure, hashes, limit) => eraseChunk(db, 'failed', erasure, hashes, limit),

  async hashUnhashed(limit) {
    const rows = await db
      .select({
        id: userActivities.id,
        userId: userActivities.userId,
        userKey: userActivities.userKey,
        anonymousId: userActivities.anonymousId,
      })
      .from(userActivities)
      .where(and(isNull(userActivities.userHash), isNull(userActivities.anonymousHash)))
      .limit(limit);
    if (rows.length === 0) return 0;
    const hashed = rows.map((row) => ({
      id: row.id,
      ...subjectHashesOf(secret, { user_id: row.userId, user_key: row.userKey, anonymous_id: row.anonymousId }),
    }));
    const byId = (pick: (h: (typeof hashed)[number]) => string | null) =>
      sql.join(
        hashed.map((h) => sql`WHEN ${h.id} THEN ${pick(h)}`),
        sql` `,
      );
    await db.execute(
      sql`UPDATE ${userActivities}
          SET user_hash = CASE id ${byId((h) => h.user)} END, anonymous_hash = CASE id ${byId((h) => h.anonymous)} END
          WHERE ${inArray(
            userActivities.id,
            hashed.map((h) => h.id),
          )}`,
    );
    return rows.length;
  },

  async anyLeft(erasure) {
    const { events, failed } = columns(erasure.subjectType);
    const before = toDatetime(erasure.createdAt);
    const subjects = sql`SELECT ${regulationSubjects.subjectHash} FROM ${regulationSubjects} WHERE ${regulationSubjects.regulationSeq} = ${erasure.seq}`;
    const [[row]] = (await db.execute(
      sql`SELECT
            EXISTS (SELECT 1 FROM ${userActivities} WHERE ${events} IN (${subjects}) AND ${userActivities.receivedAt} < ${before}) AS events,
            EXISTS (SELECT 1 FROM ${failedEvents} WHERE ${failed} IN (${subjects}) AND ${failedEvents.createdAt} < ${before}) AS failed`,
    )) as unknown as [[{ events: number; failed: number }]];
    return Number(row?.events) === 1 || Number(row?.failed) === 1;
  },

  async finish(seq) {
    await db
      .update(regulations)
      .set({ overallStatus: 'FINISHED', finishedAt: new Date() })
      .where(eq(regulations.seq, seq));
  },
});
