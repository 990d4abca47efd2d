import { Agent, request } from 'node:http';
import { formatInt, progress, wallClockMs } from './progress.js';

export interface PacedAnswer {
  id: string;
  status: number;
  /** Wall-clock ms when the request was handed to the socket and when its answer had fully arrived. */
  sentAt: number;
  answeredAt: number;
}

export interface PacedOptions {
  label: string;
  url: string;
  ratePerSecond: number;
  durationS: number;
  connections: number;
  nextRequest(): { id: string; body: string };
}

export interface PacedResult {
  answers: PacedAnswer[];
  errors: number;
  durationS: number;
}

const TICK_MS = 5;

/**
 * An open-loop load: requests leave at a steady rate whatever the answers do (autocannon's rate limit sends each
 * second's quota in a burst at the start of the second, which would measure queueing instead of the service).
 */
export const sendPaced = (options: PacedOptions): Promise<PacedResult> =>
  new Promise((resolve) => {
    const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
    const { hostname, port, pathname } = new URL(options.url);
    const answers: PacedAnswer[] = [];
    const total = Math.round(options.ratePerSecond * options.durationS);
    let sent = 0;
    let settled = 0;
    let errors = 0;
    const started = wallClockMs();
    if (total === 0) {
      resolve({ answers, errors, durationS: 0 });
      return;
    }

    const settle = () => {
      settled += 1;
      if (settled === total) {
        agent.destroy();
        resolve({ answers, errors, durationS: (wallClockMs() - started) / 1000 });
      }
    };

    const sendOne = () => {
      const { id, body } = options.nextRequest();
      const sentAt = wallClockMs();
      const req = request(
        { agent, hostname, port, path: pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            answers.push({ id, status: res.statusCode ?? 0, sentAt, answeredAt: wallClockMs() });
            settle();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        settle();
      });
      req.end(body);
    };

    let lastReport = started;
    const timer = setInterval(() => {
      const now = wallClockMs();
      const due = Math.min(total, Math.floor(((now - started) / 1000) * options.ratePerSecond));
      while (sent < due) {
        sent += 1;
        sendOne();
      }
      if (now - lastReport >= 2000) {
        lastReport = now;
        progress(`  ${options.label}: ${formatInt(sent)}/${formatInt(total)} sent, ${formatInt(answers.length)} answered`);
      }
      if (sent === total) clearInterval(timer);
    }, TICK_MS);
  });
