import { randomBytes, randomUUID } from 'node:crypto';
import type { OfflineProcess } from '../../tools/offline.js';
import { formatInt } from '../support/figures.js';
import type { Bench } from '../types.js';
import { measureTrack } from './p1-track.js';
import { measureBatch } from './p2-batch.js';
import { startService } from './p3-drain.js';

/** Issue 19: the hot path with this many subjects suppressed costs P1 and P2 at most 5 %. */
export const SUPPRESSED_SUBJECTS = 10_000;

/**
 * Opens SUPPRESSED_SUBJECTS suppression windows, as SUPPRESS_ONLY regulations leave them, for people other than the
 * bench's users (random subject hashes): every event is then hashed and looked up, and none is suppressed, so the
 * same events are stored as in P1 and P2.
 */
const suppressOthers = async ({ database }: Bench): Promise<void> => {
  const rows = Array.from({ length: SUPPRESSED_SUBJECTS }, () => [
    randomBytes(32).toString('hex'),
    '2026-01-01 00:00:00.000',
    null,
    randomUUID(),
  ]);
  for (let start = 0; start < rows.length; start += 1000) {
    await database.rows('INSERT INTO suppressions (subject_hash, since, ended_at, regulation_id) VALUES ?', [
      rows.slice(start, start + 1000),
    ]);
  }
};

/**
 * P1-supp and P2-supp: P1's and P2's loads on a service whose suppression list holds SUPPRESSED_SUBJECTS others.
 * `server` is stopped first, so one service runs at a time; `onServer` hears of the new one at once. Resolves with it.
 */
export const measureWithSuppressions = async (
  server: OfflineProcess,
  bench: Bench,
  onServer: (server: OfflineProcess) => void,
): Promise<OfflineProcess> => {
  await server.stop();
  await suppressOthers(bench);
  const suppressing = await startService(bench);
  onServer(suppressing);
  const what = `, ${formatInt(SUPPRESSED_SUBJECTS)} subjects suppressed`;
  await bench.log.stage('P1-supp', `P1's load${what}`, () => measureTrack(suppressing, bench, { id: 'P1-supp', what }));
  await bench.log.stage('P2-supp', `P2's load${what}`, () => measureBatch(suppressing, bench, { id: 'P2-supp', what }));
  await bench.database.rows('DELETE FROM suppressions');
  return suppressing;
};
