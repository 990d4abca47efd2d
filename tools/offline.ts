import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { HEAP_REPORT_PREFIX, type HeapReport } from '../plugins/offline-build/heap-report.js';
import { offlineNodeArgs, toolEnv } from './env.js';
import { commandLine, descendants, rssBytes } from './proc.js';
import { sleep } from './services.js';

// node_modules/.bin/serverless links to this script; running it with node directly allows Node flags.
const SERVERLESS_JS = resolve('node_modules/serverless/bin/serverless.js');
const OUTPUT_KEEP_CHARS = 4 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;
const OUTPUT_POLL_MS = 20;
// serverless-offline logs every invocation: "(λ: track) RequestId: …  Duration: 3.21 ms  Billed Duration: 4 ms".
const INVOCATION_LINE = /\(λ: ([\w-]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/g;

export interface OfflineOptions {
  /** Variables on top of the tooling's environment (`.env` included). */
  env?: Record<string, string>;
  /** Folder holding the serverless.yml (osls requires it to be the working directory); default the current one. */
  cwd?: string;
  /** Extra `serverless offline start` flags, e.g. `--useInProcess`. */
  args?: string[];
  /** Extra Node flags, e.g. `--cpu-prof` (NODE_OPTIONS refuses it); the heap bound is always given. */
  nodeArgs?: string[];
}

/**
 * Where a `serverless offline` process listens: the HTTP API on `http`; the Lambda invoke endpoint stays closed
 * unless `lambda` opens it (OFFLINE_LAMBDA_PORT, guarded by plugins/offline-gateway).
 */
export interface OfflinePorts {
  http: number;
  lambda?: number;
}

/**
 * Spawns `serverless offline start` as `npm start`, the tests and the bench all run it: node with the service's
 * flags, then serverless's own script. With `ports`, the HTTP API listens on 127.0.0.1 there and the invoke endpoint
 * is closed unless `ports.lambda` opens it, whatever `.env` says.
 */
export const spawnOffline = (options: OfflineOptions, stdio: StdioOptions, ports?: OfflinePorts) =>
  spawn(
    process.execPath,
    [...offlineNodeArgs(), ...(options.nodeArgs ?? []), SERVERLESS_JS, 'offline', 'start', ...(options.args ?? [])],
    {
      cwd: options.cwd ?? process.cwd(),
      env: {
        ...toolEnv(),
        ...options.env,
        ...(ports
          ? { HTTP_HOST: '127.0.0.1', HTTP_PORT: String(ports.http), OFFLINE_LAMBDA_PORT: String(ports.lambda ?? '') }
          : {}),
      },
      stdio,
    },
  );

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits (up to a bound) until processes are gone: the esbuild service outlives its parent by a moment. */
const waitGone = async (pids: number[], timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await sleep(50);
};

const running = new Set<OfflineProcess>();

// Never leave a server behind, whatever ends the run.
process.once('exit', () => {
  for (const offline of running) offline.kill();
});

export interface StartOptions extends OfflineOptions {
  /**
   * Ports to listen on (to restart a process where clients expect it); default a free one for the HTTP API and the
   * Lambda invoke endpoint closed.
   */
  ports?: OfflinePorts;
  /** Where the output goes; default a file in a temporary folder. */
  logFile?: string;
  /** Output that means the service is ready, in order; default the poller's "polling queue", then "Server ready". */
  ready?: RegExp[];
}

/**
 * A `serverless offline start` child on its own ports. Its output goes straight to a file, never through a pipe to
 * this process: serverless offline writes two lines per invocation synchronously, and a pipe that a busy load
 * generator does not empty quickly enough would block the server's event loop and be measured as its latency.
 */
export class OfflineProcess {
  #output = '';
  #readOffset = 0;
  /** The last, unfinished line read, so an invocation line split across reads is still counted. */
  #partialLine = '';
  #durations = new Map<string, number[]>();
  #logFd: number | undefined;
  // Reused: the output is read every 20 ms while waiting, and on every call of `output`.
  readonly #readBuffer = Buffer.alloc(READ_CHUNK);
  /** Date.now() when the last ready output was seen. */
  readyAt = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly ports: OfflinePorts,
    readonly logFile: string,
  ) {
    this.#logFd = openSync(logFile, 'r');
  }

  static async start(options: StartOptions = {}): Promise<OfflineProcess> {
    const ports = options.ports ?? { http: await freePort() };
    const logFile = options.logFile ?? join(mkdtempSync(join(tmpdir(), 'offline-')), 'output.log');
    mkdirSync(dirname(logFile), { recursive: true });
    const out = openSync(logFile, 'w');
    const child = spawnOffline(options, ['ignore', out, out], ports);
    closeSync(out);
    const offline = new OfflineProcess(child, ports, logFile);
    running.add(offline);
    child.once('exit', () => running.delete(offline));
    try {
      // The poller starts during offline:start:init, before the HTTP server listens.
      for (const pattern of options.ready ?? [/polling queue/, /Server ready/])
        offline.readyAt = await offline.waitFor(pattern, 120_000);
    } catch (error) {
      await offline.stop('SIGKILL');
      throw error;
    }
    return offline;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The output so far (its last 4 MB). */
  get output(): string {
    this.#readOutput();
    return this.#output;
  }

  /** RSS of the node process (its worker threads included) and of its child processes (the esbuild service). */
  memory(): { rss: number; children: number } {
    const children = descendants(this.pid).reduce((sum, pid) => sum + (rssBytes(pid) || 0), 0);
    return { rss: rssBytes(this.pid), children };
  }

  /**
   * The process's heap right after a full collection (plugins/offline-build/heap-report.ts): asks with SIGUSR2 and
   * reads the line it answers with.
   */
  async heapAfterGc(timeoutMs = 10_000): Promise<HeapReport> {
    const seen = this.#heapReports;
    this.child.kill('SIGUSR2');
    const deadline = Date.now() + timeoutMs;
    while (this.#heapReports === seen) {
      if (Date.now() > deadline) throw new Error('no heap report within the timeout');
      await sleep(OUTPUT_POLL_MS);
      this.#readOutput();
    }
    return this.#lastHeapReport as HeapReport;
  }

  #heapReports = 0;
  #lastHeapReport?: HeapReport;

  /** The persist runner processes (plugins/offline-rabbitmq/runner-main.ts) running now. */
  runnerPids(): number[] {
    return descendants(this.pid).filter((pid) => commandLine(pid).includes('runner-main.ts'));
  }

  /** Handler durations serverless-offline reported, by function, since the last call. */
  takeDurations(): Map<string, number[]> {
    this.#readOutput();
    const taken = this.#durations;
    this.#durations = new Map();
    return taken;
  }

  /** Resolves with the Date.now() at which the output was seen to match; rejects if the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pattern.test(this.output)) return Date.now();
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `serverless offline exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.#output}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${this.#output}`);
      await sleep(OUTPUT_POLL_MS);
    }
  }

  post(path: string, body: string | object, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** SIGKILLs the process and its children at once (used when the run itself is ending). */
  kill(): void {
    for (const pid of descendants(this.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.child.kill('SIGKILL');
  }

  /**
   * Sends `signal` (SIGTERM lets the poller finish its batch and writes a --cpu-prof profile), SIGKILL after a grace;
   * resolves with the exit code, or the signal that ended it.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | string> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const children = descendants(this.pid);
      const exited = new Promise<void>((resolveExit) => this.child.once('exit', () => resolveExit()));
      this.child.kill(signal);
      const timer = setTimeout(() => this.kill(), graceMs);
      await exited;
      clearTimeout(timer);
      await waitGone(children);
    }
    if (this.#logFd !== undefined) {
      this.#readOutput();
      closeSync(this.#logFd);
      this.#logFd = undefined;
    }
    return this.child.exitCode ?? this.child.signalCode ?? 'unknown';
  }

  #readOutput(): void {
    if (this.#logFd === undefined) return;
    const buffer = this.#readBuffer;
    for (;;) {
      const n = readSync(this.#logFd, buffer, 0, READ_CHUNK, this.#readOffset);
      if (n === 0) return;
      this.#readOffset += n;
      this.#onOutput(buffer.toString('utf8', 0, n));
    }
  }

  #onOutput(text: string): void {
    const lines = this.#partialLine + text;
    const lastNewline = lines.lastIndexOf('\n');
    this.#partialLine = lines.slice(lastNewline + 1);
    const complete = lines.slice(0, lastNewline + 1);
    for (const line of complete.includes(HEAP_REPORT_PREFIX) ? complete.split('\n') : []) {
      if (!line.startsWith(HEAP_REPORT_PREFIX)) continue;
      this.#lastHeapReport = JSON.parse(line.slice(HEAP_REPORT_PREFIX.length)) as HeapReport;
      this.#heapReports += 1;
    }
    for (const match of complete.matchAll(INVOCATION_LINE)) {
      const [, name, ms] = match as unknown as [string, string, string];
      const list = this.#durations.get(name) ?? [];
      list.push(Number(ms));
      this.#durations.set(name, list);
    }
    this.#output = (this.#output + text).slice(-OUTPUT_KEEP_CHARS);
  }
}

/** Kills every server this process started that is still running, with their children, and waits. */
export const killRunningServers = async (): Promise<void> => {
  await Promise.all([...running].map((offline) => offline.stop('SIGKILL', 0)));
};
