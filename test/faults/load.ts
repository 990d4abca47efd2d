import { randomUUID } from 'node:crypto';

/** What the client saw for one event. */
export interface Sent {
  eventId: string;
  status: number | 'error';
  retryAfter: string | null;
  ms: number;
  at: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends events with known ids to POST /api/v1/events/track at a steady rate, each with its own client timeout,
 * and records every answer. `target()` is read per request, so a restarted process is followed.
 */
export class SteadyLoad {
  readonly sent: Sent[] = [];
  #timer?: NodeJS.Timeout;
  #pending = new Set<Promise<void>>();

  constructor(private readonly target: () => string, private readonly perSecond = 40) {}

  start(): void {
    this.#timer = setInterval(() => this.#fire(), 1000 / this.perSecond);
  }

  async send(body: Record<string, unknown>): Promise<Sent> {
    const eventId = String(body.event_id);
    const at = Date.now();
    let record: Sent;
    try {
      const response = await fetch(`${this.target()}/api/v1/events/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      record = { eventId, status: response.status, retryAfter: response.headers.get('retry-after'), ms: Date.now() - at, at };
    } catch {
      record = { eventId, status: 'error', retryAfter: null, ms: Date.now() - at, at };
    }
    this.sent.push(record);
    return record;
  }

  #fire(): void {
    const request = this.send({
      event_id: randomUUID(),
      user_id: 1 + Math.floor(Math.random() * 1000),
      event_type: 'fault_test',
      timestamp: new Date().toISOString(),
      metadata: { seq: this.sent.length },
    }).then(() => undefined);
    this.#pending.add(request);
    void request.finally(() => this.#pending.delete(request));
  }

  /** Stops sending and waits for the answers still outstanding. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#pending);
  }

  between(from: number, to: number): Sent[] {
    return this.sent.filter((s) => s.at >= from && s.at < to);
  }
}
