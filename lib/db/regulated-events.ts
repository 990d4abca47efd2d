import { inArray, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { ActivityMessage } from '../activity/activity-schema.js';
import { toMillis } from '../activity/iso-date-time.js';
import { matchingHashes, type SubjectHashes } from '../privacy/subject-hash.js';
import { suppressions } from './schema.js';

type Executor = Pick<MySql2Database, 'execute'>;

// A raw DATETIME(3) as the driver gives it under Drizzle (text, stored in UTC), or a Date.
const millisOf = (value: Date | string): number =>
  value instanceof Date ? value.getTime() : Date.parse(`${value.replace(' ', 'T')}Z`);

const grouped = <T extends { subject_hash: string }>(rows: T[]): Map<string, T[]> => {
  const byHash = new Map<string, T[]>();
  for (const row of rows) byHash.set(row.subject_hash, [...(byHash.get(row.subject_hash) ?? []), row]);
  return byHash;
};

const rowsOf = async <T>(tx: Executor, query: ReturnType<typeof sql>): Promise<T[]> =>
  ((await tx.execute(query)) as unknown as [T[]])[0];

/** A message with the subject hashes it is stored with (subjectHashesOf), computed once per message. */
export interface HashedMessage {
  message: ActivityMessage;
  hashes: SubjectHashes;
}

export interface RegulatedSplit {
  kept: HashedMessage[];
  /** Accepted while their subject was suppressed. */
  suppressed: ActivityMessage[];
  /** Accepted before a deletion of their subject: how many per regulation (its seq). */
  erased: Map<number, number>;
}

interface Regulated {
  kind: 'window' | 'deletion';
  subject_hash: string;
  /** A window's start, or a deletion's T. */
  at: Date | string;
  ended_at: Date | string | null;
  seq: number | null;
}

/**
 * Whether any regulation has ever been recorded. A locking read of the table's first row: on an empty table it locks
 * the whole index (the gap up to its end), so a regulation being recorded waits for this transaction and this read
 * waits for one in progress, as the reads of splitRegulated do for its subjects.
 */
const anyRegulation = async (tx: Executor): Promise<boolean> =>
  (await rowsOf<{ seq: number }>(tx, sql`SELECT seq FROM regulations LIMIT 1 LOCK IN SHARE MODE`)).length > 0;

/**
 * The messages of a batch that may be stored, and those that may not (issue 19): accepted before the T of a
 * deletion of their subject (a message still on a queue or replayed from a dead-letter queue), or while their subject
 * was suppressed. Read inside the storing transaction with shared locks: a regulation recording one of these subjects
 * waits for this transaction, and this read waits for one in progress, so the check and the insert see the same
 * regulations, whatever the intake's copy of the suppression list said. With no regulation at all (most of the time
 * for most services) that is one read of one row; otherwise the subjects' windows and deletions are read too.
 */
export const splitRegulated = async (
  tx: Executor,
  secret: string,
  messages: HashedMessage[],
): Promise<RegulatedSplit> => {
  const split: RegulatedSplit = { kept: messages, suppressed: [], erased: new Map() };
  const hashesOf = messages.map(({ message, hashes }) => matchingHashes(secret, message, hashes));
  const all = [...new Set(hashesOf.flat())];
  if (all.length === 0 || !(await anyRegulation(tx))) return split;
  // One connection: the two reads go one after the other.
  const windows = await rowsOf<Regulated>(
    tx,
    sql`SELECT 'window' AS kind, subject_hash, since AS at, ended_at, NULL AS seq FROM ${suppressions}
        WHERE ${inArray(suppressions.subjectHash, all)} LOCK IN SHARE MODE`,
  );
  const deletions = await rowsOf<Regulated>(
    tx,
    sql`SELECT 'deletion' AS kind, s.subject_hash, r.created_at AS at, NULL AS ended_at, r.seq
        FROM regulation_subjects s JOIN regulations r ON r.seq = s.regulation_seq
        WHERE s.subject_hash IN (${sql.join(
          all.map((hash) => sql`${hash}`),
          sql`, `,
        )}) AND r.regulation_type IN ('SUPPRESS_WITH_DELETE', 'DELETE_ONLY') LOCK IN SHARE MODE`,
  );
  if (windows.length === 0 && deletions.length === 0) return split;
  const windowsOf = grouped(windows);
  const deletionsOf = grouped(deletions);
  split.kept = [];
  messages.forEach((hashed, i) => {
    const at = toMillis(hashed.message.received_at);
    const hashes = hashesOf[i] ?? [];
    const deletion = hashes.flatMap((hash) => deletionsOf.get(hash) ?? []).find((d) => at < millisOf(d.at));
    if (deletion) {
      split.erased.set(Number(deletion.seq), (split.erased.get(Number(deletion.seq)) ?? 0) + 1);
      return;
    }
    const suppressed = hashes.some((hash) =>
      (windowsOf.get(hash) ?? []).some(
        (w) => millisOf(w.at) <= at && (w.ended_at === null || at < millisOf(w.ended_at)),
      ),
    );
    if (suppressed) split.suppressed.push(hashed.message);
    else split.kept.push(hashed);
  });
  return split;
};
