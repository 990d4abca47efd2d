import { inArray, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { ActivityMessage } from '../activity/activity-schema.js';
import { toMillis } from '../activity/iso-date-time.js';
import { eventSubjectHashes } from '../privacy/subject-hash.js';
import { suppressions } from './schema.js';

type Executor = Pick<MySql2Database, 'execute'>;

interface Window {
  subject_hash: string;
  since: Date | string;
  ended_at: Date | string | null;
}

// A raw DATETIME(3) as the driver gives it under Drizzle (text, stored in UTC), or a Date.
const millisOf = (value: Date | string): number =>
  value instanceof Date ? value.getTime() : Date.parse(`${value.replace(' ', 'T')}Z`);

/**
 * The messages of a batch that may be stored, and those that may not: their subject was suppressed when they were
 * accepted (issue 19). Read inside the storing transaction with a shared lock: a SUPPRESS that records a window for
 * one of these subjects waits for this transaction, and this read waits for one in progress, so the check and the
 * insert see the same list, whatever the intake's copy said.
 */
export const splitSuppressed = async (
  tx: Executor,
  secret: string,
  messages: ActivityMessage[],
): Promise<{ kept: ActivityMessage[]; suppressed: ActivityMessage[] }> => {
  const hashesOf = messages.map((message) => eventSubjectHashes(secret, message));
  const all = [...new Set(hashesOf.flat())];
  if (all.length === 0) return { kept: messages, suppressed: [] };
  const [rows] = (await tx.execute(
    sql`SELECT subject_hash, since, ended_at FROM ${suppressions} WHERE ${inArray(suppressions.subjectHash, all)} LOCK IN SHARE MODE`,
  )) as unknown as [Window[]];
  if (rows.length === 0) return { kept: messages, suppressed: [] };
  const windows = new Map<string, Window[]>();
  for (const row of rows) windows.set(row.subject_hash, [...(windows.get(row.subject_hash) ?? []), row]);
  const kept: ActivityMessage[] = [];
  const suppressed: ActivityMessage[] = [];
  messages.forEach((message, i) => {
    const at = toMillis(message.received_at);
    const inWindow = (hashesOf[i] ?? []).some((hash) =>
      (windows.get(hash) ?? []).some(
        (w) => millisOf(w.since) <= at && (w.ended_at === null || at < millisOf(w.ended_at)),
      ),
    );
    (inWindow ? suppressed : kept).push(message);
  });
  return { kept, suppressed };
};
