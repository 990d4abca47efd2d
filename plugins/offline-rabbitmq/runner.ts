import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import type { PollerLog } from './poller.js';
import type { RunnerNotice, RunnerSpec } from './runner-protocol.js';

const RUNNER_MAIN = fileURLToPath(new URL('./runner-main.ts', import.meta.url));

/**
 * The runners' scheduling priority (nice): below the HTTP server's. On AWS the drain runs in execution environments
 * of its own and never slows the API; on one machine, the runners take the CPU the API leaves, and a backlog waits
 * safely on its queue meanwhile.
 */
const RUNNER_NICENESS = 10;

/** How long a runner has to finish its batches and exit once asked, before it is killed. */
const STOP_GRACE_MS = 15_000;
/** Waits before starting a runner again after it exited, doubling up to the last while it keeps exiting at start. */
const RESTART_DELAYS_MS = [250, 1000, 5000];

export interface RunnerOptions {
  spec: RunnerSpec;
  /** The function's environment, as serverless offline would set it (plugin.ts builds it). */
  env: Record<string, string | undefined>;
  /** V8 old-space bound of the runner process (MiB). */
  maxOldSpaceMb: number;
  log: PollerLog;
}

/**
 * One persist runner (runner-main.ts), kept running: a child process that polls its queues and runs their batches,
 * beside the HTTP server. When it exits unasked (killed, out of memory), the broker returns whatever it had not
 * acknowledged, the batch it was running included, to the queues, and a new runner takes over: the batch is
 * redelivered and stored once (inserts are idempotent). Stopping lets the batches in flight finish.
 */
export class Runner {
  #child?: ChildProcess;
  #running = 0;
  #stopping = false;
  #failedStarts = 0;
  #restart?: NodeJS.Timeout;

  constructor(private readonly options: RunnerOptions) {}

  /** The runner's pid while it runs. */
  get pid(): number | undefined {
    return this.#child?.exitCode === null && this.#child.signalCode === null ? this.#child.pid : undefined;
  }

  /** Starts the runner; resolves once it is consuming (or has exited, which the restart handles). */
  start(): Promise<void> {
    const { spec, env, maxOldSpaceMb, log } = this.options;
    const child = fork(RUNNER_MAIN, [JSON.stringify(spec)], {
      // The runtime's own folder, so that relative paths in the settings (METRICS_OUTPUT=file:…) mean the same here.
      cwd: process.cwd(),
      env,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${maxOldSpaceMb}`],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    this.#running = 0;
    try {
      if (child.pid) setPriority(child.pid, RUNNER_NICENESS);
    } catch {
      // not permitted here: the runner keeps the runtime's priority
    }
    let ready = false;
    return new Promise((resolve) => {
      child.on('message', (notice: RunnerNotice) => {
        if (notice.kind === 'batch') this.#running = notice.running;
        else if (notice.kind === 'ready') {
          ready = true;
          this.#failedStarts = 0;
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        resolve();
        if (this.#stopping) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        const during = this.#running > 0 ? ' during a batch, which goes back to its queue' : '';
        const delay = RESTART_DELAYS_MS[Math.min(this.#failedStarts, RESTART_DELAYS_MS.length - 1)] as number;
        if (!ready) this.#failedStarts += 1;
        log.warn(`persist runner ${child.pid} exited (${how})${during}; starting another in ${delay} ms`);
        this.#restart = setTimeout(() => void this.start(), delay);
      });
    });
  }

  /** Asks the runner to stop (it finishes its batches, leaves the rest on the queues), killing it after a grace. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#restart);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
