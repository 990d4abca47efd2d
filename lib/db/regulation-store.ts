import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { NewRegulation, RegulationStore } from '../ports.js';
import type { SubjectType } from '../privacy/subject-hash.js';
import {
  deletes,
  type OverallStatus,
  type Regulation,
  type RegulationType,
  suppresses,
} from '../regulations/regulation-schema.js';
import { regulationSubjects, regulations, suppressions } from './schema.js';

// 1,000 hashes of 64 characters per statement: a few dozen KB, far below max_allowed_packet.
const CHUNK = 1000;
const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

type Row = typeof regulations.$inferSelect;

const toRegulation = (row: Row): Regulation => ({
  id: row.id,
  regulationType: row.regulationType as RegulationType,
  subjectType: row.subjectType as SubjectType,
  overallStatus: row.overallStatus as OverallStatus,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
  deleted: {
    events: Number(row.deletedEvents),
    failedEvents: Number(row.deletedFailedEvents),
    deadLetters: Number(row.deletedDeadLetters),
  },
});

type Tx = Parameters<Parameters<MySql2Database['transaction']>[0]>[0];

/** Opens a window from T for each subject that has no open one (a second SUPPRESS of a subject changes nothing). */
const openWindows = async (tx: Tx, hashes: string[], since: Date, regulationId: string) => {
  for (const chunk of chunks(hashes)) {
    const open = await tx
      .select({ hash: suppressions.subjectHash })
      .from(suppressions)
      .where(and(inArray(suppressions.subjectHash, chunk), isNull(suppressions.endedAt)));
    const already = new Set(open.map((row) => row.hash));
    const fresh = chunk.filter((hash) => !already.has(hash));
    if (fresh.length > 0) {
      await tx.insert(suppressions).values(fresh.map((subjectHash) => ({ subjectHash, since, regulationId })));
    }
  }
};

/** Closes, at T, every open window of the subjects (UNSUPPRESS). */
const closeWindows = async (tx: Tx, hashes: string[], until: Date) => {
  for (const chunk of chunks(hashes)) {
    await tx
      .update(suppressions)
      .set({ endedAt: until })
      .where(and(inArray(suppressions.subjectHash, chunk), isNull(suppressions.endedAt)));
  }
};

/**
 * T, read once the writes above hold their locks: each of them waited for the batches persist had in flight that read
 * these subjects (or, before the first regulation, the empty table) under shared locks, and every batch after them
 * waits for this transaction. The rows written at the provisional time are moved to T.
 */
const stampAfterLocks = async (tx: Tx, regulation: NewRegulation, seq: number, clock: () => Date): Promise<Date> => {
  const at = clock();
  const provisional = regulation.createdAt;
  await tx
    .update(regulations)
    .set({ createdAt: at, ...(deletes(regulation.regulationType) ? {} : { finishedAt: at }) })
    .where(eq(regulations.seq, seq));
  if (suppresses(regulation.regulationType)) {
    await tx
      .update(suppressions)
      .set({ since: at })
      .where(and(eq(suppressions.regulationId, regulation.id), eq(suppressions.since, provisional)));
  }
  if (regulation.regulationType === 'UNSUPPRESS') {
    for (const chunk of chunks(regulation.subjectHashes)) {
      await tx
        .update(suppressions)
        .set({ endedAt: at })
        .where(and(inArray(suppressions.subjectHash, chunk), eq(suppressions.endedAt, provisional)));
    }
  }
  return at;
};

/**
 * Drizzle adapter of the regulations. Creating one records it, its subjects' hashes and, for a suppression, the
 * windows, in one transaction: once the API has answered with the regulateId, the suppression is in force. A
 * regulation without a deletion is FINISHED at once; one with a deletion waits, INITIALIZED, for the deletion runner.
 */
export const createDrizzleRegulationStore = (db: MySql2Database): RegulationStore => ({
  async createRegulation(regulation) {
    const { regulationType, subjectHashes, createdAt } = regulation;
    const row = {
      id: regulation.id,
      regulationType,
      subjectType: regulation.subjectType,
      subjectCount: subjectHashes.length,
      overallStatus: (deletes(regulationType) ? 'INITIALIZED' : 'FINISHED') as OverallStatus,
      createdAt,
      finishedAt: deletes(regulationType) ? null : createdAt,
      requestedBy: regulation.requestedBy,
    };
    let at = createdAt;
    await db.transaction(async (tx) => {
      const [inserted] = await tx.insert(regulations).values(row).$returningId();
      const regulationSeq = inserted?.seq as number;
      for (const chunk of chunks(subjectHashes)) {
        await tx.insert(regulationSubjects).values(chunk.map((subjectHash) => ({ regulationSeq, subjectHash })));
      }
      if (suppresses(regulationType)) await openWindows(tx, subjectHashes, createdAt, regulation.id);
      if (regulationType === 'UNSUPPRESS') await closeWindows(tx, subjectHashes, createdAt);
      if (regulation.clock !== undefined) at = await stampAfterLocks(tx, regulation, regulationSeq, regulation.clock);
    });
    return toRegulation({
      ...row,
      createdAt: at,
      finishedAt: row.finishedAt === null ? null : at,
      seq: 0,
      deletedEvents: 0,
      deletedFailedEvents: 0,
      deletedDeadLetters: 0,
    });
  },

  async findRegulation(id) {
    const [row] = await db.select().from(regulations).where(eq(regulations.id, id)).limit(1);
    return row === undefined ? undefined : toRegulation(row);
  },

  async listRegulations({ limit, before }) {
    const rows = await db
      .select()
      .from(regulations)
      .where(before === undefined ? undefined : lt(regulations.seq, before))
      .orderBy(desc(regulations.seq))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toRegulation),
      ...(rows.length > limit && last !== undefined ? { next: last.seq } : {}),
    };
  },
});
