import { performance } from 'node:perf_hooks';
import type { OfflineProcess } from '../../tools/offline.js';
import { threadCount } from '../../tools/proc.js';
import { sleep } from '../../tools/services.js';
import { progress } from '../run-log.js';
import { mib } from './figures.js';

export interface MemoryReading {
  rss: number;
  children: number;
  threads: number;
}

export const readMemory = (server: OfflineProcess): MemoryReading => ({
  ...server.memory(),
  threads: threadCount(server.pid),
});

const SETTLE_MS = 6000;
const SETTLE_SAMPLE_MS = 500;

/**
 * The lowest RSS over a few idle seconds. Under load V8 lets the old space grow for a while and then collects it
 * (RSS saw-tooths by 100+ MiB), so one reading right after the load says more about where the tooth was than
 * about what is retained; the "before" reading is taken idle too.
 */
export const settledMemory = async (server: OfflineProcess, label: string): Promise<MemoryReading> => {
  progress(`  ${label}: reading idle memory for ${SETTLE_MS / 1000} s`);
  let lowest = readMemory(server);
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_SAMPLE_MS) {
    await sleep(SETTLE_SAMPLE_MS);
    const reading = readMemory(server);
    if (reading.rss < lowest.rss) lowest = reading;
  }
  return lowest;
};

/**
 * RSS of the server every couple of seconds, labelled with the stage running, so a jump (the heap sized up by a
 * burst) can be told from a slope (a leak) in P5's details.
 */
export class MemoryTimeline {
  readonly samples: Array<{ s: number; stage: string; rssMiB: number }> = [];
  stage = 'idle';
  readonly #begun = performance.now();
  #timer?: NodeJS.Timeout = setInterval(() => this.#sample(), 2000);

  constructor(private readonly server: OfflineProcess) {
    this.#sample();
  }

  #sample(): void {
    const s = Math.round((performance.now() - this.#begun) / 100) / 10;
    this.samples.push({ s, stage: this.stage, rssMiB: mib(this.server.memory().rss) });
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sample();
  }
}
