import type { ErasureStore, PendingErasure } from '../ports.js';

/** Rows one DELETE removes: short transactions, so ingestion and reads go on meanwhile. */
export const ERASE_CHUNK_ROWS = 2000;
/** Subjects whose rows one DELETE looks for. */
const SUBJECTS_PER_PASS = 500;

export interface ErasureRun {
  /** Regulations this run brought to FINISHED. */
  finished: string[];
  /** True when the run stopped at its deadline with work left (the next run resumes it). */
  unfinished: boolean;
}

/** When a run must stop, and how it shares the database meanwhile. */
export interface ErasurePace {
  /** Date.now() by which the run stops (the next run resumes). */
  deadline: number;
  /** After each chunk, the pause as a percentage of the time the chunk took (ERASE_PAUSE_PERCENT). */
  pausePercent: number;
  /** Waits; setTimeout unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Removes, chunk by chunk, what one kind of row holds of these subjects; false if the deadline came first. After
 * each full chunk it pauses in proportion to the chunk's time, so a million rows do not take the database from
 * ingestion for as long as they take: the busier the database, the longer each chunk and the pause after it.
 */
const eraseAll = async (remove: () => Promise<number>, pace: ErasurePace): Promise<boolean> => {
  const sleep = pace.sleep ?? wait;
  for (;;) {
    if (Date.now() >= pace.deadline) return false;
    const begun = performance.now();
    if ((await remove()) < ERASE_CHUNK_ROWS) return true;
    const pause = ((performance.now() - begun) * pace.pausePercent) / 100;
    if (pause > 0) await sleep(Math.min(pause, Math.max(pace.deadline - Date.now(), 0)));
  }
};

const eraseOne = async (store: ErasureStore, erasure: PendingErasure, pace: ErasurePace): Promise<boolean> => {
  await store.markRunning(erasure.seq);
  // Rows stored without hashes (before this version) are found by none: hash them first, once for all regulations.
  if (!(await eraseAll(() => store.hashUnhashed(ERASE_CHUNK_ROWS), pace))) return false;
  let after: string | undefined;
  for (;;) {
    const hashes = await store.subjectHashes(erasure.seq, after, SUBJECTS_PER_PASS);
    if (hashes.length === 0) break;
    const events = () => store.eraseEvents(erasure, hashes, ERASE_CHUNK_ROWS);
    const failed = () => store.eraseFailedEvents(erasure, hashes, ERASE_CHUNK_ROWS);
    if (!(await eraseAll(events, pace)) || !(await eraseAll(failed, pace))) return false;
    after = hashes.at(-1);
  }
  // FINISHED only once a check finds nothing left from before T (a row persist stored meanwhile is found here).
  if (await store.anyLeft(erasure)) return false;
  await store.finish(erasure.seq);
  return true;
};

/**
 * The deletion runner (issue 19): takes the pending deletions oldest first and removes their subjects' rows and
 * failed events accepted before T, in bounded chunks, until none is left or the deadline comes. Everything it does is
 * idempotent and counted as it goes, so a run killed at any point is resumed by the next from where the rows are.
 * One runner at a time: a run that finds another working leaves it alone.
 */
export const eraseRegulated = async (store: ErasureStore, pace: ErasurePace): Promise<ErasureRun> => {
  const run: ErasureRun = { finished: [], unfinished: false };
  await store.exclusively(async () => {
    for (;;) {
      const erasure = await store.nextPending();
      if (erasure === undefined) return;
      if (!(await eraseOne(store, erasure, pace))) {
        run.unfinished = true;
        return;
      }
      run.finished.push(erasure.id);
    }
  });
  return run;
};
