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

/** Removes, chunk by chunk, what one kind of row holds of these subjects; false if the deadline came first. */
const eraseAll = async (remove: () => Promise<number>, deadline: number): Promise<boolean> => {
  for (;;) {
    if (Date.now() >= deadline) return false;
    if ((await remove()) < ERASE_CHUNK_ROWS) return true;
  }
};

const eraseOne = async (store: ErasureStore, erasure: PendingErasure, deadline: number): Promise<boolean> => {
  await store.markRunning(erasure.seq);
  // Rows stored without hashes (before this version) are found by none: hash them first, once for all regulations.
  if (!(await eraseAll(() => store.hashUnhashed(ERASE_CHUNK_ROWS), deadline))) return false;
  let after: string | undefined;
  for (;;) {
    const hashes = await store.subjectHashes(erasure.seq, after, SUBJECTS_PER_PASS);
    if (hashes.length === 0) break;
    const events = () => store.eraseEvents(erasure, hashes, ERASE_CHUNK_ROWS);
    const failed = () => store.eraseFailedEvents(erasure, hashes, ERASE_CHUNK_ROWS);
    if (!(await eraseAll(events, deadline)) || !(await eraseAll(failed, deadline))) return false;
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
export const eraseRegulated = async (store: ErasureStore, deadline: number): Promise<ErasureRun> => {
  const run: ErasureRun = { finished: [], unfinished: false };
  await store.exclusively(async () => {
    for (;;) {
      const erasure = await store.nextPending();
      if (erasure === undefined) return;
      if (!(await eraseOne(store, erasure, deadline))) {
        run.unfinished = true;
        return;
      }
      run.finished.push(erasure.id);
    }
  });
  return run;
};
