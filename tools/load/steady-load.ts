import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/**
 * The load generator's open loop: requests leave at a steady rate whatever the answers do, for latency and for
 * faults, where a stalled server must not slow the client down. Its closed loop is closed-loop.ts.
 */
const TRACK_PATH = '/api/v1/events/track';
const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** What the client saw for one event of an open-loop load. */
export interface Sent {
  eventId: string;
  status: number | 'error';
  retryAfter: string | null;
  /** From sending the request to the end of its answer. */
  ms: number;
  /** Date.now() when the request was sent. */
  at: number;
}

export interface SteadyLoadOptions {
  /** Most connections open at once (default: as many as the requests in flight). */
  connections?: number;
  /** Stop sending after this many requests. */
  limit?: number;
  /** The client gives up on an answer after this long and records an 'error'. */
  timeoutMs?: number;
  /** The event sent as request `seq` (default: a fresh event_id, a random user, the time now). */
  nextEvent?: (seq: number) => Record<string, unknown>;
}

const TICK_MS = 5;

const anyEvent = (seq: number): Record<string, unknown> => ({
  event_id: randomUUID(),
  user_id: 1 + Math.floor(Math.random() * 1000),
  event_type: 'load_test',
  timestamp: new Date().toISOString(),
  metadata: { seq },
});

/**
 * An open-loop load on POST /api/v1/events/track: events with known ids leave at a steady rate (catching up on
 * late timer ticks; autocannon's own rate limit sends each second's quota in a burst, which would measure queueing
 * instead of the service), each with a client timeout, and every answer is recorded. `target()` is read per
 * request, so a restarted process is followed.
 */
export class SteadyLoad {
  readonly sent: Sent[] = [];
  /** Requests sent so far by `start()`. */
  fired = 0;
  #timer?: NodeJS.Timeout;
  #pending = new Set<Promise<Sent>>();
  readonly #agent: Agent;

  constructor(
    private readonly target: () => string,
    private readonly perSecond = 40,
    private readonly options: SteadyLoadOptions = {},
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? Number.POSITIVE_INFINITY });
  }

  /** Starts sending; resolves once `limit` requests have left (never without a limit). */
  start(): Promise<void> {
    const started = Date.now();
    const limit = this.options.limit ?? Number.POSITIVE_INFINITY;
    return new Promise((allSent) => {
      this.#timer = setInterval(() => {
        const due = Math.min(limit, Math.floor(((Date.now() - started) / 1000) * this.perSecond));
        while (this.fired < due) this.#fire();
        if (this.fired >= limit) {
          clearInterval(this.#timer);
          allSent();
        }
      }, TICK_MS);
    });
  }

  async send(body: Record<string, unknown>): Promise<Sent> {
    const at = Date.now();
    const answer = await this.#post(JSON.stringify(body)).catch(() => undefined);
    const record: Sent = {
      eventId: String(body.event_id),
      status: answer?.status ?? 'error',
      retryAfter: answer?.retryAfter ?? null,
      ms: Date.now() - at,
      at,
    };
    this.sent.push(record);
    return record;
  }

  /** Stops sending and waits for the answers still outstanding. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#pending);
    this.#agent.destroy();
  }

  between(from: number, to: number): Sent[] {
    return this.sent.filter((s) => s.at >= from && s.at < to);
  }

  #fire(): void {
    const request = this.send((this.options.nextEvent ?? anyEvent)(this.fired));
    this.fired += 1;
    this.#pending.add(request);
    void request.finally(() => this.#pending.delete(request));
  }

  #post(body: string): Promise<{ status: number; retryAfter: string | null }> {
    return new Promise((resolve, reject) => {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const signal = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
      const req = request(
        new URL(TRACK_PATH, this.target()),
        { agent: this.#agent, method: 'POST', headers, signal },
        (res) => {
          const retryAfter = res.headers['retry-after'] ?? null;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter }));
          res.on('close', () => reject(new Error('answer cut short')));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

export interface SteadyRunOptions extends SteadyLoadOptions {
  label: string;
  perSecond: number;
  seconds: number;
  onProgress?: (line: string) => void;
}

/** Sends `perSecond` x `seconds` events at a steady pace and resolves with every answer once all have come. */
export const runSteadyLoad = async (
  target: () => string,
  { label, perSecond, seconds, onProgress, ...options }: SteadyRunOptions,
): Promise<Sent[]> => {
  const total = Math.round(perSecond * seconds);
  const load = new SteadyLoad(target, perSecond, { ...options, limit: total });
  const report = setInterval(
    () => onProgress?.(`  ${label}: ${count(load.fired)}/${count(total)} sent, ${count(load.sent.length)} answered`),
    2000,
  );
  try {
    if (total > 0) await load.start();
    await load.stop();
  } finally {
    clearInterval(report);
  }
  return load.sent;
};
