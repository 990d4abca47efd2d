import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PollerLog } from './poller.js';
import type { InvokeReply, RunnerSpec } from './runner-protocol.js';

const RUNNER_MAIN = fileURLToPath(new URL('./runner-main.ts', import.meta.url));

/** How long a runner has to exit once disconnected before it is killed. */
const STOP_GRACE_MS = 5000;

/** A runner process ended (crashed, killed, out of memory) before answering: its batch goes back to the queue. */
export class RunnerExitedError extends Error {
  override readonly name = 'RunnerExitedError';
}

export interface RunnerOptions {
  spec: RunnerSpec;
  /** The function's environment, as serverless offline would set it (runtime-plugin.ts builds it). */
  env: Record<string, string | undefined>;
  /** V8 old-space bound of the runner process (MiB). */
  maxOldSpaceMb: number;
  log: PollerLog;
}

/** One runner process (runner-main.ts), running one invocation at a time. */
class Runner {
  readonly #child: ChildProcess;
  readonly #ready: Promise<void>;
  #pending?: { id: number; resolve(result: unknown): void; reject(error: Error): void };
  #nextId = 1;
  #exit?: string;

  constructor({ spec, env, maxOldSpaceMb, log }: RunnerOptions) {
    this.#child = fork(RUNNER_MAIN, [JSON.stringify(spec)], {
      cwd: spec.servicePath,
      env,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${maxOldSpaceMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#ready = new Promise((resolve, reject) => {
      this.#child.once('message', () => resolve());
      this.#child.once('exit', () => reject(new RunnerExitedError(`persist runner exited at start (${this.#exit})`)));
    });
    this.#ready.catch(() => undefined); // reported to the invocation that waits for it
    this.#child.on('message', (reply: InvokeReply) => this.#settle(reply));
    this.#child.once('exit', (code, signal) => {
      this.#exit = signal ? `signal ${signal}` : `code ${code}`;
      if (this.#pending) log.warn(`persist runner ${this.#child.pid} exited (${this.#exit}) during a batch`);
      this.#pending?.reject(new RunnerExitedError(`the persist runner exited (${this.#exit}) before answering`));
      this.#pending = undefined;
    });
  }

  /** Resolves once the runner has loaded the function (rejects if it exits first). */
  get ready(): Promise<void> {
    return this.#ready;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  async invoke(event: unknown): Promise<unknown> {
    await this.#ready;
    if (!this.alive) throw new RunnerExitedError(`the persist runner has exited (${this.#exit})`);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending = { id, resolve, reject };
      this.#child.send({ id, event });
    });
  }

  #settle(reply: InvokeReply): void {
    const pending = this.#pending;
    if (!pending || !('id' in reply) || reply.id !== pending.id) return;
    this.#pending = undefined;
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  }

  /** Disconnects (the runner exits when idle), and kills it if it has not gone after a grace. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The persist runners of the local runtime: up to `size` processes beside the HTTP server, so a batch never runs on
 * its thread (issue 18). Each runs one invocation at a time, and each poller invokes one batch at a time, as Lambda's
 * event source mapping does; with fewer runners than pollers, a poller waits for a free one. A runner that exits is
 * replaced by a new one on the next invocation, and the invocation it was running fails, so its poller returns that
 * batch to the queue, to be stored once on redelivery.
 */
export class RunnerPool {
  readonly #all: Runner[] = [];
  readonly #idle: Runner[] = [];
  readonly #waiting: Array<(runner: Runner) => void> = [];
  #started = 0;
  #closed = false;

  constructor(
    private readonly size: number,
    private readonly options: RunnerOptions,
  ) {}

  /** The pids of the runner processes running now (the tests kill one mid-batch). */
  get pids(): number[] {
    return this.#all.flatMap((runner) => (runner.alive && runner.pid ? [runner.pid] : []));
  }

  async invoke(event: unknown): Promise<unknown> {
    const runner = await this.#acquire();
    try {
      return await runner.invoke(event);
    } finally {
      this.#release(runner);
    }
  }

  /**
   * Starts every runner and waits until each has loaded the function, so that the first batches do not wait for a
   * process to start. A runner that cannot start is reported and replaced on the next invocation.
   */
  async warm(): Promise<void> {
    const started: Runner[] = [];
    while (this.#started < this.size) started.push(this.#spawn());
    this.#idle.push(...started);
    const results = await Promise.allSettled(started.map((runner) => runner.ready));
    for (const result of results) {
      if (result.status === 'rejected') this.options.log.warn(`a persist runner did not start: ${result.reason}`);
    }
  }

  #spawn(): Runner {
    const runner = new Runner(this.options);
    this.#started += 1;
    this.#all.push(runner);
    return runner;
  }

  #acquire(): Promise<Runner> {
    if (this.#closed) return Promise.reject(new RunnerExitedError('the persist runners are stopping'));
    let runner = this.#idle.pop();
    while (runner && !runner.alive) {
      this.#forget(runner);
      runner = this.#idle.pop();
    }
    if (runner) return Promise.resolve(runner);
    if (this.#started < this.size) return Promise.resolve(this.#spawn());
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(runner: Runner): void {
    if (!runner.alive) {
      this.#forget(runner);
      this.options.log.warn('a persist runner exited; starting another');
      if (this.#closed) return;
      runner = this.#spawn();
    }
    const waiter = this.#waiting.shift();
    if (waiter) waiter(runner);
    else this.#idle.push(runner);
  }

  #forget(runner: Runner): void {
    this.#started -= 1;
    this.#all.splice(this.#all.indexOf(runner), 1);
  }

  /** Stops every runner; call once the pollers have stopped, so none is running a batch. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#all.map((runner) => runner.stop()));
    this.#all.length = 0;
    this.#idle.length = 0;
  }
}
