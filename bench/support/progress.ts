import { performance } from 'node:perf_hooks';

const started = performance.now();

const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s`;

/** One progress line, stamped with the time since the run began. */
export const progress = (message: string): void => {
  console.log(`[${elapsed()}] ${message}`);
};

/** Prints a stage heading and returns a function that reports the stage's own duration when it ends. */
export const stage = (id: string, title: string): (() => void) => {
  const begun = performance.now();
  progress(`${id}: ${title}`);
  return () => progress(`${id}: done in ${((performance.now() - begun) / 1000).toFixed(1)} s`);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the database's CURRENT_TIMESTAMP(3). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');
