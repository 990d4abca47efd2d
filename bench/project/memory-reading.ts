import { performance } from 'node:perf_hooks';
import { mib } from '../support/http-stage.js';
import type { OfflineServer } from '../support/offline-server.js';
import { threadCount } from '../support/proc.js';
import { progress, sleep } from '../support/progress.js';

export interface MemoryReading {
  rss: number;
  children: number;
  threads: number;
}

export const readMemory = (server: OfflineServer): MemoryReading => ({ ...server.memory(), threads: threadCount(server.pid) });

const SETTLE_MS = 6000;
const SETTLE_SAMPLE_MS = 500;

/**
 * The lowest RSS over a few idle seconds. Under load V8 lets the old space grow for a while and then collects it
 * (RSS saw-tooths by 100+ MiB), so one reading right after the load says more about where the tooth was than
 * about what is retained; the "before" reading is taken idle too.
 */
export const settledMemory = async (server: OfflineServer, label: string): Promise<MemoryReading> => {
  progress(`  ${label}: reading idle memory for ${SETTLE_MS / 1000} s`);
  let lowest = readMemory(server);
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_SAMPLE_MS) {
    await sleep(SETTLE_SAMPLE_MS);
    const reading = readMemory(server);
    if (reading.rss < lowest.rss) lowest = reading;
  }
  return lowest;
};

const SAMPLE_MS = 2000;

/**
 * RSS of the server every couple of seconds, labelled with the stage running, so a jump (the heap sized up by a
 * burst) can be told from a slope (a leak) in P5's details.
 */
export class MemoryTimeline {
  readonly samples: Array<{ s: number; stage: string; rssMiB: number }> = [];
  stage = 'idle';
  private readonly begun = performance.now();
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly server: OfflineServer) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.sample();
  }

  private sample(): void {
    const s = Math.round((performance.now() - this.begun) / 100) / 10;
    this.samples.push({ s, stage: this.stage, rssMiB: mib(this.server.memory().rss) });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.sample();
  }
}
