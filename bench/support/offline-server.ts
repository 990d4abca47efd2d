import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { sleep } from './progress.js';
import { descendants, rssBytes } from './proc.js';

// node_modules/.bin/serverless is a link to this script; running it with node directly allows Node flags.
const SERVERLESS_JS = resolve('node_modules/serverless/bin/serverless.js');
const OUTPUT_TAIL_CHARS = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
const OUTPUT_POLL_MS = 20;
// serverless-offline logs every invocation: "(λ: track) RequestId: …  Duration: 3.21 ms  Billed Duration: 4 ms".
const INVOCATION_LINE = /\(λ: ([\w-]+)\) RequestId: \S+\s+Duration: ([\d.]+) ms/g;

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });

const running = new Set<ChildProcess>();

// Never leave a server behind, whatever ends the run.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

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
  const deadline = performance.now() + timeoutMs;
  while (pids.some(isAlive) && performance.now() < deadline) await sleep(50);
};

/** Kills servers still starting or running (after an interruption), with their child processes, and waits. */
export const killRunningServers = async (): Promise<void> => {
  await Promise.all([...running].map(async (child) => {
    const children = descendants(child.pid as number);
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
    await exited;
    await waitGone(children);
  }));
};

export interface OfflineOptions {
  /** Folder holding the serverless.yml (osls requires it to be the working directory). */
  cwd: string;
  env: Record<string, string>;
  /** Output that means the service is ready, e.g. the poller's "polling queue". */
  ready: RegExp;
  /** Where the server's output goes. */
  logFile: string;
  /** Extra `serverless offline start` flags, e.g. `--useInProcess`. */
  args?: string[];
  /** Node flags for the server process, e.g. `--cpu-prof` (NODE_OPTIONS refuses it). */
  nodeArgs?: string[];
}

/**
 * A `serverless offline start` child on free ports. Its output goes straight to a file, never through a pipe to
 * this process: serverless offline writes two lines per invocation synchronously, and a pipe that the busy load
 * generator does not empty quickly enough would block the server's event loop and be measured as its latency.
 */
export class OfflineServer {
  private tail = '';
  private readOffset = 0;
  /** The last, unfinished line read, so an invocation line split across reads is still counted. */
  private partialLine = '';
  /** Handler durations serverless-offline reported, by function, since the last `takeDurations()`. */
  private durations = new Map<string, number[]>();
  /** performance.now() when the ready output was seen (read every OUTPUT_POLL_MS). */
  readyAt = 0;

  private logClosed = false;

  private constructor(private readonly child: ChildProcess, readonly baseUrl: string, private readonly logFd: number) {}

  static async start(options: OfflineOptions): Promise<OfflineServer> {
    const [httpPort, lambdaPort] = [await freePort(), await freePort()];
    mkdirSync(dirname(options.logFile), { recursive: true });
    const out = openSync(options.logFile, 'w');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVERLESS_JS, 'offline', 'start', ...(options.args ?? [])], {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        OFFLINE_LAMBDA_PORT: String(lambdaPort),
      },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    running.add(child);
    child.once('exit', () => running.delete(child));
    const server = new OfflineServer(child, `http://127.0.0.1:${httpPort}`, openSync(options.logFile, 'r'));
    server.readyAt = await server.waitFor(options.ready, 120_000);
    return server;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** The end of the output so far. */
  get output(): string {
    this.readOutput();
    return this.tail;
  }

  /** RSS of the node process (its worker threads included) and of its child processes (the esbuild service). */
  memory(): { rss: number; children: number } {
    const children = descendants(this.pid).reduce((sum, pid) => sum + (rssBytes(pid) || 0), 0);
    return { rss: rssBytes(this.pid), children };
  }

  takeDurations(): Map<string, number[]> {
    this.readOutput();
    const taken = this.durations;
    this.durations = new Map();
    return taken;
  }

  /** Resolves with the performance.now() at which the output was seen to match. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      this.readOutput();
      if (pattern.test(this.tail)) return performance.now();
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`serverless offline exited (${this.child.exitCode ?? this.child.signalCode}) before ${pattern}:\n${this.tail}`);
      }
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${this.tail}`);
      await sleep(OUTPUT_POLL_MS);
    }
  }

  private readOutput(): void {
    if (this.logClosed) return;
    const buffer = Buffer.alloc(READ_CHUNK);
    for (;;) {
      const n = readSync(this.logFd, buffer, 0, READ_CHUNK, this.readOffset);
      if (n === 0) return;
      this.readOffset += n;
      this.onOutput(buffer.toString('utf8', 0, n));
    }
  }

  private onOutput(text: string): void {
    const lines = this.partialLine + text;
    const lastNewline = lines.lastIndexOf('\n');
    this.partialLine = lines.slice(lastNewline + 1);
    for (const match of lines.slice(0, lastNewline + 1).matchAll(INVOCATION_LINE)) {
      const [, name, ms] = match as unknown as [string, string, string];
      const list = this.durations.get(name) ?? [];
      list.push(Number(ms));
      this.durations.set(name, list);
    }
    this.tail = (this.tail + text).slice(-OUTPUT_TAIL_CHARS);
  }

  /** SIGTERM (which lets the poller finish its batch and writes a --cpu-prof profile), SIGKILL after a grace. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const children = descendants(this.pid);
      const exited = new Promise<void>((resolveExit) => this.child.once('exit', () => resolveExit()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      await waitGone(children);
    }
    if (!this.logClosed) {
      this.readOutput();
      this.logClosed = true;
      closeSync(this.logFd);
    }
  }
}
