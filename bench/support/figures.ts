import type { LoadResult } from '../../tools/load/closed-loop.js';

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Count, mean, nearest-rank percentiles and maximum, to two decimals (NaN where there are no values). */
export const summarize = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  const rank = (p: number) => Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  const at = (p: number) => round(sorted[rank(p)] ?? Number.NaN);
  const mean = round(sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1));
  return { count: sorted.length, mean, p50: at(50), p90: at(90), p99: at(99), max: at(100) };
};

export type Summary = ReturnType<typeof summarize>;

/** ", 12 non-2xx, 3 errors" when the load saw any, for the figure; empty otherwise. */
export const failureNote = ({ non2xx, errors }: LoadResult): string =>
  `${non2xx ? `, ${formatInt(non2xx)} non-2xx` : ''}${errors ? `, ${formatInt(errors)} errors` : ''}`;

/** How B0 and P1 read in the table. */
export const rateFigure = (load: LoadResult): string =>
  `${formatInt(load.okPerSecond)} req/s (p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms${failureNote(load)})`;

/** How P2 and P2-seg read in the table. */
export const eventRateFigure = (eventsPerSecond: number, load: LoadResult): string =>
  `${formatInt(eventsPerSecond)} events/s (${formatInt(load.okPerSecond)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms${failureNote(load)})`;
