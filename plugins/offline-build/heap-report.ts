import process from 'node:process';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The line a heap report starts with, followed by its JSON (tools/offline.ts reads it). */
export const HEAP_REPORT_PREFIX = 'offline heap after gc: ';

export interface HeapReport {
  /** Bytes in use on the V8 heap right after a full collection. */
  usedHeapBytes: number;
  /** The old-space bound the process was started with (--max-old-space-size), in bytes, as V8 reports it. */
  heapLimitBytes: number;
  rssBytes: number;
}

// gc() without starting the process with --expose-gc: the flag, set now, exposes it to new contexts.
const collector = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
};

/**
 * On `signal`, a full garbage collection and one line with what is left (HEAP_REPORT_PREFIX + JSON): how the soak
 * test and the bench read the local runtime's retained heap from outside, without an inspector.
 */
export const reportHeapOn = (signal: NodeJS.Signals): void => {
  const gc = collector();
  process.on(signal, () => {
    gc();
    const { used_heap_size, heap_size_limit } = getHeapStatistics();
    const report: HeapReport = {
      usedHeapBytes: used_heap_size,
      heapLimitBytes: heap_size_limit,
      rssBytes: process.memoryUsage.rss(),
    };
    process.stdout.write(`${HEAP_REPORT_PREFIX}${JSON.stringify(report)}\n`);
  });
};
