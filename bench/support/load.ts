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
    let reported = 0;
    instance.on('response', () => {
      answered += 1;
    });
    instance.on('tick', () => {
      seconds += 1;
      if (seconds % 2 !== 0) return;
      const of = options.amount ? `${formatInt(answered)}/${formatInt(options.amount)} requests` : `${seconds}/${options.durationS ?? 10} s`;
      progress(`  ${options.label}: ${of}, ${formatInt((answered - reported) / 2)} answers/s`);
      reported = answered;
    });
  });
