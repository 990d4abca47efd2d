import type { ActivityMessage } from '../activity/activity-schema.js';
import { eventSubjectHashes, subjectHash } from './subject-hash.js';

/** Where the open suppressions are read: the hash of each suppressed subject and since when (epoch ms). */
export interface SuppressionSource {
  /** A cheap fingerprint of the table (changes whenever a window opens or closes). */
  readVersion(): Promise<string>;
  readOpenWindows(): Promise<Map<string, number>>;
  /** Adds to the count of events answered and kept nowhere (the stats' suppressed total). */
  countSuppressed(count: number): Promise<void>;
}

/** How long a copy of the list is used before the source is asked whether it changed. */
export const SUPPRESSION_REFRESH_MS = 2000;
/** How long the first request of a process waits for the list; past it, persist's own check still applies. */
const FIRST_LOAD_WAIT_MS = 1000;

export interface SuppressionList {
  /**
   * Makes the copy current enough: the process's first request waits for the first load (bounded, so a database
   * outage costs it a second once); later refreshes run in the background.
   */
  prepare(): Promise<void>;
  /** Whether an event accepted at `at` (epoch ms) belongs to a subject suppressed then. */
  suppresses(message: ActivityMessage, at: number): boolean;
  /** The same for an item kept as sent (a rejected Segment call): its userId or anonymousId. */
  suppressesCall(original: unknown, at: number): boolean;
  countSuppressed(count: number): void;
}

const idText = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * The intake's copy of the suppression list (issue 19). Empty, it costs nothing per event (no hash is computed); with
 * subjects, one to three HMACs per event and a map lookup. A copy that is a moment stale, or not loaded because the
 * database is down, lets an event through to the queue; persist checks the table in the transaction that would
 * store it, so nothing of a suppressed subject is ever stored.
 */
export const createSuppressionList = (source: SuppressionSource, secret: string): SuppressionList => {
  let windows = new Map<string, number>();
  let version: string | undefined;
  let checkedAt = 0;
  let refreshing: Promise<void> | undefined;
  let firstLoad = true;

  const refresh = async () => {
    try {
      const current = await source.readVersion();
      if (current !== version) {
        windows = await source.readOpenWindows();
        version = current;
      }
    } catch {
      // Kept as it was: persist's check in the storing transaction still holds.
    } finally {
      checkedAt = Date.now();
      refreshing = undefined;
    }
  };

  const inWindow = (hashes: string[], at: number) =>
    hashes.some((hash) => {
      const since = windows.get(hash);
      return since !== undefined && since <= at;
    });

  return {
    async prepare() {
      if (Date.now() - checkedAt < SUPPRESSION_REFRESH_MS) return;
      refreshing ??= refresh();
      if (firstLoad) {
        firstLoad = false;
        await Promise.race([refreshing, new Promise((resolve) => setTimeout(resolve, FIRST_LOAD_WAIT_MS).unref())]);
      }
    },
    suppresses(message, at) {
      return windows.size > 0 && inWindow(eventSubjectHashes(secret, message), at);
    },
    suppressesCall(original, at) {
      if (windows.size === 0 || typeof original !== 'object' || original === null) return false;
      const { userId, anonymousId } = original as { userId?: unknown; anonymousId?: unknown };
      const user = idText(userId);
      const anonymous = idText(anonymousId);
      const hashes = [
        ...(user === undefined ? [] : [subjectHash(secret, 'USER_ID', user)]),
        ...(anonymous === undefined ? [] : [subjectHash(secret, 'ANONYMOUS_ID', anonymous)]),
      ];
      return inWindow(hashes, at);
    },
    countSuppressed(count) {
      // Best effort: the answer never waits for it or fails with it; the EventsSuppressed metric counts too.
      source.countSuppressed(count).catch(() => undefined);
    },
  };
};
