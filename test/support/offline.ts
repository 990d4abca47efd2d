import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import process from 'node:process';
import { offlineNodeArgs, parseConfig } from '../../lib/config.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The real `serverless offline start`, as a child process with its own ports, queue and database. */
export class OfflineProcess {
  output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly ports: { http: number; lambda: number },
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts on free ports, or on `ports` (to restart a process where clients expect it). */
  static async start(env: Record<string, string>, ports?: { http: number; lambda: number }): Promise<OfflineProcess> {
    const [httpPort, lambdaPort] = ports ? [ports.http, ports.lambda] : [await freePort(), await freePort()];
    // As `npm start` runs it: node with the service's flags, then serverless's own script.
    const nodeArgs = offlineNodeArgs(parseConfig({ ...process.env, ...env }));
    const child = spawn(process.execPath, [...nodeArgs, 'node_modules/serverless/bin/serverless.js', 'offline', 'start'], {
      env: { ...process.env, ...env, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(httpPort), OFFLINE_LAMBDA_PORT: String(lambdaPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    const offline = new OfflineProcess(child, `http://127.0.0.1:${httpPort}`, { http: httpPort, lambda: lambdaPort });
    // The poller starts during offline:start:init, before the HTTP server listens: wait for both.
    await offline.waitFor(/polling queue/, 90_000);
    await offline.waitFor(/Server ready/, 30_000);
    return offline;
  }

  /** Resolves once the output matches, rejects if the process exits first or the time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`serverless offline exited (${this.child.exitCode}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  post(path: string, body: string | object, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends `signal` and resolves with the exit code (or the signal, if it had to be killed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | string> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | string>((resolve) =>
      this.child.once('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')),
    );
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }
}
