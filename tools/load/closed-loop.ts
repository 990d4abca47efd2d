import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

/**
 * The load generator's closed loop (autocannon: each connection sends its next request when the previous answer
 * arrives), for throughput. Its open loop is steady-load.ts.
 */
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

export interface ClosedLoadOptions {
  label: string;
  url: string;
  /** The request body; several are sent in turn by each connection (e.g. one per user). */
  body: string | string[];
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
  /** The requests' Content-Type; default application/json. */
  contentType?: string;
  /** Replaces every `[<id>]` in the body with an id of its own on each request, so repeated bodies carry fresh keys. */
  uniqueIds?: boolean;
  /** Sees each response's status and body (costs the load generator a little: autocannon then keeps bodies). */
  onResponse?: (status: number, body: string) => void;
  onProgress?: (line: string) => void;
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

interface SecondStats {
  answers: number;
  clients: Set<unknown>;
  slowestMs: number;
}

// A handler's cold start (loading the bundle, connecting) makes its first answer take up to seconds.
const WARM_SLOWEST_MS = 1000;

/** Seconds in a row that must agree before a warm-up ends. */
const STEADY_SECONDS = 3;

/**
 * Three seconds in a row in which every connection was answered, none slowly, at rates within 15% of each other: a
 * service still speeding up (code being optimised, a heap still growing its young generation) rises by more than that
 * over three seconds, so its warm-up goes on.
 */
const isWarm = (recent: SecondStats[], connections: number): boolean => {
  if (recent.length < STEADY_SECONDS) return false;
  const rates = recent.map((s) => s.answers);
  return (
    recent.every((s) => s.clients.size >= connections && s.slowestMs < WARM_SLOWEST_MS) &&
    Math.max(...rates) - Math.min(...rates) <= 0.15 * Math.max(...rates)
  );
};

const toLoadResult = (result: autocannon.Result): LoadResult => ({
  completed: result.requests.total,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  durationS: result.duration,
  okPerSecond: result['2xx'] / result.duration,
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  statusCodes: Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]),
  ),
});

/** A closed-loop POST load with autocannon. */
export const runClosedLoad = (options: ClosedLoadOptions): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const { onResponse, onProgress = () => undefined, durationS = 10 } = options;
    // autocannon builds each static request once, so cycling through bodies costs nothing per request; fresh ids
    // make it rebuild each one (its own idReplacement gives every placeholder of a request one id, and a
    // Content-Length that assumes a fixed id length).
    const run = randomUUID().slice(0, 8);
    let sequence = 0;
    const freshIds = (request: autocannon.Request): autocannon.Request => ({
      ...request,
      body: String(request.body).replaceAll('[<id>]', () => `${run}-${(sequence++).toString(36)}`),
    });
    const requests = [options.body].flat().map((body) => ({
      body,
      ...(options.uniqueIds ? { setupRequest: freshIds } : {}),
      ...(onResponse ? { onResponse } : {}),
    }));
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': options.contentType ?? 'application/json' },
        connections: options.connections,
        ...(options.amount ? { amount: options.amount } : { duration: durationS }),
        requests,
      },
      (error, result) => (error ? reject(error) : resolve(toLoadResult(result))),
    );
    let [seconds, answered, stopped] = [0, 0, false];
    let second: SecondStats = { answers: 0, clients: new Set(), slowestMs: 0 };
    let previous: SecondStats | undefined;
    const recent: SecondStats[] = [];
    instance.on('response', (client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
      answered += 1;
      second.answers += 1;
      second.clients.add(client);
      second.slowestMs = Math.max(second.slowestMs, responseTimeMs);
    });
    instance.on('tick', () => {
      seconds += 1;
      if (stopped || (!options.amount && seconds > durationS)) return;
      const last = second;
      second = { answers: 0, clients: new Set(), slowestMs: 0 };
      recent.push(last);
      if (recent.length > STEADY_SECONDS) recent.shift();
      const mayStop = options.steadyAfterS !== undefined && seconds >= options.steadyAfterS;
      if (mayStop && isWarm(recent, options.connections)) {
        onProgress(`  ${options.label}: steady after ${seconds} s at ${count(last.answers)} answers/s`);
        stopped = true;
        instance.stop();
        return;
      }
      const rate = previous ? (previous.answers + last.answers) / 2 : last.answers;
      previous = last;
      if (seconds % 2 !== 0) return;
      const done = options.amount ? `${count(answered)}/${count(options.amount)} requests` : `${seconds} s`;
      onProgress(`  ${options.label}: ${done}, ${count(rate)} answers/s, slowest ${count(last.slowestMs)} ms`);
    });
  });
