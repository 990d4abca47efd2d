import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { descendants, rssBytes } from './proc.js';

const SERVERLESS_BIN = resolve('node_modules/.bin/serverless');
const OUTPUT_TAIL_CHARS = 64 * 1024;
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

export interface OfflineOptions {
  /** Folder holding the serverless.yml (osls requires it to be the working directory). */
  cwd: string;
  env: Record<string, string>;
  /** Output that means the service is ready, e.g. the poller's "polling queue". */
  ready: RegExp;
  /** Extra Node options for the server process, e.g. `--cpu-prof --cpu-prof-dir=…`. */
  nodeOptions?: string;
}

/** A `serverless offline start` child on free ports, with its output tail and per-function invocation durations. */
export class OfflineServer {
  private tail = '';
  /** The last, unfinished line of output, so an invocation line split across chunks is still counted. */
  private partialLine = '';
  /** Handler durations serverless-offline reports, by function, since the last `takeDurations()`. */
  private durations = new Map<string, number[]>();
  private readonly waiters: Array<{ pattern: RegExp; resolve: (at: number) => void }> = [];

  private constructor(private readonly child: ChildProcess, readonly baseUrl: string) {
    const onData = (chunk: Buffer) => this.onOutput(chunk.toString());
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  }

  static async start(options: OfflineOptions): Promise<OfflineServer> {
    const [httpPort, lambdaPort] = [await freePort(), await freePort()];
    const child = spawn(SERVERLESS_BIN, ['offline', 'start'], {
      cwd: options.cwd,
      env: {
        ...process.env,
        ...options.env,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        OFFLINE_LAMBDA_PORT: String(lambdaPort),
        ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const server = new OfflineServer(child, `http://127.0.0.1:${httpPort}`);
    await server.waitFor(options.ready, 120_000);
    return server;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get output(): string {
    return this.tail;
  }

  /** RSS of the node process (its worker threads included) and of its child processes (the esbuild service). */
  memory(): { rss: number; children: number } {
    const children = descendants(this.pid).reduce((sum, pid) => sum + (rssBytes(pid) || 0), 0);
    return { rss: rssBytes(this.pid), children };
  }

  takeDurations(): Map<string, number[]> {
    const taken = this.durations;
    this.durations = new Map();
    return taken;
  }

  /** Resolves with the performance.now() at which the output first matched (now, if it already has). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<number> {
    if (pattern.test(this.tail)) return Promise.resolve(performance.now());
    return new Promise((resolveAt, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${this.tail}`)), timeoutMs);
      const onExit = (code: number | null) =>
        reject(new Error(`serverless offline exited (${code}) before ${pattern}:\n${this.tail}`));
      this.child.once('exit', onExit);
      this.waiters.push({
        pattern,
        resolve: (at) => {
          clearTimeout(timer);
          this.child.off('exit', onExit);
          resolveAt(at);
        },
      });
    });
  }

  private onOutput(text: string): void {
    const at = performance.now();
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
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i] as (typeof this.waiters)[number];
      if (waiter.pattern.test(this.tail)) {
        this.waiters.splice(i, 1);
        waiter.resolve(at);
      }
    }
  }

  /** SIGTERM (which lets the poller finish its batch and writes a --cpu-prof profile), SIGKILL after a grace. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => this.child.once('exit', () => resolveExit()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
