import autocannon from 'autocannon';
import { formatInt, progress } from './progress.js';

export interface LoadOptions {
  label: string;
  url: string;
  body: string;
  connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  durationS?: number;
  /** Requests to send before stopping. */
  amount?: number;
  /**
   * Warm-up mode: `durationS` becomes the longest wait, and the load stops once at least this many seconds have
   * passed and two seconds in a row look warm (see `isWarm`): handlers loaded, connections open, and (with
   * serverless offline's worker threads) one worker per connection started.
   */
  steadyAfterS?: number;
  /** Sees each response's status and body (costs the load generator a little: autocannon then keeps bodies). */
  onResponse?: (status: number, body: string) => void;
}

export interface LoadResult {
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  okPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
}

/** ", 12 non-2xx, 3 errors" when the load saw any, for the figure; empty otherwise. */
export const failureNote = (load: LoadResult): string =>
  [load.non2xx ? `${formatInt(load.non2xx)} non-2xx` : '', load.errors ? `${formatInt(load.errors)} errors` : '']
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join('');

interface SecondStats {
  answers: number;
  clients: Set<unknown>;
  slowestMs: number;
}

// A handler's cold start (loading the bundle, connecting) makes its first answer take up to seconds.
const WARM_SLOWEST_MS = 1000;

/** Two seconds in a row in which every connection was answered, none slowly, at a rate within 20%. */
const isWarm = (a: SecondStats, b: SecondStats, connections: number): boolean =>
  [a, b].every((s) => s.clients.size >= connections && s.slowestMs < WARM_SLOWEST_MS) &&
  Math.abs(a.answers - b.answers) <= 0.2 * Math.max(a.answers, b.answers);

/** A closed-loop HTTP load (each connection sends its next request when the previous answer arrives). */
export const runLoad = (options: LoadOptions): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const { onResponse } = options;
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.body,
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: options.durationS ?? 10 }),
        ...(onResponse ? { requests: [{ onResponse: (status: number, body: string) => onResponse(status, body) }] } : {}),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
        );
        resolve({
          completed: result.requests.total,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          durationS: result.duration,
          okPerSecond: result['2xx'] / result.duration,
          latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
          statusCodes,
        });
      },
    );
    let seconds = 0;
    let answered = 0;
    let second: SecondStats = { answers: 0, clients: new Set(), slowestMs: 0 };
    let previous: SecondStats | undefined;
    instance.on('response', (client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      answered += 1;
      second.answers += 1;
      second.clients.add(client);
      second.slowestMs = Math.max(second.slowestMs, responseTimeMs);
    });
    let stopped = false;
    instance.on('tick', () => {
      seconds += 1;
      if (stopped || (!options.amount && seconds > (options.durationS ?? 10))) return;
      const last = second;
      second = { answers: 0, clients: new Set(), slowestMs: 0 };
      if (options.steadyAfterS !== undefined && seconds >= options.steadyAfterS && previous && isWarm(previous, last, options.connections)) {
        progress(`  ${options.label}: steady after ${seconds} s at ${formatInt(last.answers)} answers/s`);
        stopped = true;
        instance.stop();
        return;
      }
      const rate = previous ? (previous.answers + last.answers) / 2 : last.answers;
      previous = last;
      if (seconds % 2 !== 0) return;
      const of = options.amount ? `${formatInt(answered)}/${formatInt(options.amount)} requests` : `${seconds} s`;
      progress(`  ${options.label}: ${of}, ${formatInt(rate)} answers/s, slowest ${formatInt(last.slowestMs)} ms`);
    });
  });
