import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HeapReport } from '../../plugins/offline-build/heap-report.js';
import type { OfflineProcess } from '../offline.js';
import { peakRssBytes, rssBytes } from '../proc.js';
import { type Database, sleep } from '../services.js';

/** What the soak runs against: the real local runtime, its database, its keys, and a folder inside the checkout. */
export interface SoakTarget {
  offline: OfflineProcess;
  database: Database;
  writeKey: string;
  readKey: string;
  /** A folder inside the checkout: the soak writes a growing log and short-lived source files there. */
  churnDir: string;
  /** Opens the debugger page in a browser with the read key, for the whole soak; resolves with how to close it. */
  openDebugger?: (url: string, readKey: string) => Promise<() => Promise<void>>;
}

export interface SoakReport {
  durationS: number;
  /** Answers by status ('error' for a request that got none). */
  statuses: Record<string, number>;
  largeRowsSent: number;
  fileChanges: number;
  /** Heap after a full GC: as the process started, at its highest sample, and at the end. */
  heapMiB: { start: number; peak: number; end: number; limit: number };
  /** Peak resident memory: the runtime process, its persist runners together, and all of it. */
  peakRssMiB: { runtime: number; runners: number; total: number };
  survived: boolean;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A metadata object that serialises to about `bytes` (the body limit is 32 KB by default). */
const largeMetadata = (bytes: number) => ({ blob: 'x'.repeat(bytes), note: 'soak: a large row' });

/** Every route of the service, with what it needs to answer (keys, a body): the soak keeps each one warm. */
const routes = ({ writeKey, readKey }: SoakTarget) => {
  const write = { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' };
  const read = { authorization: `Bearer ${readKey}` };
  const event = () => ({ user_id: 7, event_type: 'soak', timestamp: new Date().toISOString(), metadata: { at: 1 } });
  const call = (userId: string) => ({ type: 'track', userId, event: 'soak', properties: { at: 1 } });
  return [
    { method: 'POST', path: '/api/v1/events/track', headers: write, body: () => event() },
    { method: 'POST', path: '/api/v1/events/batch', headers: write, body: () => ({ events: [event(), event()] }) },
    { method: 'POST', path: '/v1/track', headers: write, body: () => call('soak-1') },
    { method: 'POST', path: '/v1/batch', headers: write, body: () => ({ batch: [call('soak-2'), call('soak-3')] }) },
    {
      method: 'POST',
      path: '/v1/b',
      headers: { 'content-type': 'text/plain' },
      body: () => ({ writeKey, batch: [call('soak-4')] }),
    },
    { method: 'GET', path: `/v1/projects/${writeKey}/settings` },
    { method: 'GET', path: '/api/v1/events/00000000-0000-4000-8000-000000000000', headers: read },
    { method: 'GET', path: '/api/v1/users/7/activities?limit=50', headers: read },
    { method: 'GET', path: '/api/v1/activities?user_key=soak-1&limit=50', headers: read },
    { method: 'GET', path: '/openapi.json' },
    { method: 'GET', path: '/health' },
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/api/v1/stats', headers: read },
    { method: 'GET', path: '/metrics', headers: read },
    { method: 'GET', path: '/debugger' },
    { method: 'GET', path: '/api/v1/debugger/events', headers: read },
    { method: 'GET', path: '/api/v1/debugger/failed', headers: read },
  ] as Array<{ method: string; path: string; headers?: Record<string, string>; body?: () => unknown }>;
};

/**
 * Issue 18's soak: for `durationMs`, under the runtime's own heap bound, every route called over and over; rows
 * with ~31 KB of metadata; 500s, again and again (the table the debugger's failed list and the stats read is renamed
 * away every other few seconds, so those routes fail with an unexpected error); the debugger open in a browser;
 * and files written in the checkout (a growing log, source files made and deleted), as a busy developer's machine
 * does. Reports the answers, the heap after GC at the start, highest and end, and the peak resident memory of the
 * runtime and its persist runners.
 */
export const soak = async (target: SoakTarget, durationMs: number): Promise<SoakReport> => {
  const { offline, database } = target;
  const started = performance.now();
  const running = () => performance.now() - started < durationMs;
  const statuses: Record<string, number> = {};
  const count = (status: number | string) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const send = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    try {
      const response = await fetch(`${offline.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      count(response.status);
    } catch {
      count('error');
    }
  };

  const heapStart = await offline.heapAfterGc();
  const heapSamples: HeapReport[] = [heapStart];
  const peaks = { runtime: 0, runners: new Map<number, number>() };
  const sampleRss = () => {
    peaks.runtime = Math.max(peaks.runtime, peakRssBytes(offline.pid) || 0);
    for (const pid of offline.runnerPids()) {
      peaks.runners.set(pid, Math.max(peaks.runners.get(pid) ?? 0, peakRssBytes(pid) || rssBytes(pid) || 0));
    }
  };

  const closeDebugger = await target.openDebugger?.(offline.baseUrl, target.readKey);
  let largeRowsSent = 0;
  let fileChanges = 0;
  mkdirSync(target.churnDir, { recursive: true });

  const everyRoute = async () => {
    const list = routes(target);
    for (let i = 0; running(); i += 1) {
      const route = list[i % list.length] as (typeof list)[number];
      await send(route.method, route.path, route.headers, route.body?.());
    }
  };
  const largeRows = async () => {
    const headers = { authorization: `Bearer ${target.writeKey}`, 'content-type': 'application/json' };
    while (running()) {
      const event = { user_id: 8, event_type: 'soak_large', timestamp: new Date().toISOString() };
      await send('POST', '/api/v1/events/track', headers, { ...event, metadata: largeMetadata(31 * 1024) });
      largeRowsSent += 1;
      await sleep(100);
    }
  };
  const failures = async () => {
    while (running()) {
      await database.rows('RENAME TABLE failed_events TO failed_events_soak');
      try {
        for (const until = performance.now() + 2000; performance.now() < until && running(); ) {
          await send('GET', '/api/v1/debugger/failed', { authorization: `Bearer ${target.readKey}` });
          await send('GET', '/api/v1/stats', { authorization: `Bearer ${target.readKey}` });
        }
      } finally {
        await database.rows('RENAME TABLE failed_events_soak TO failed_events');
      }
      await sleep(2000);
    }
  };
  const churn = async () => {
    const log = join(target.churnDir, 'start.log');
    for (let n = 0; running(); n += 1) {
      appendFileSync(log, `${new Date().toISOString()} soak line ${n} ${'.'.repeat(200)}\n`);
      const source = join(target.churnDir, `churn-${n % 20}.ts`);
      if (n % 2 === 0) writeFileSync(source, `export const n = ${n};\n`);
      else rmSync(source, { force: true });
      fileChanges += 2;
      await sleep(10);
    }
  };
  const memory = async () => {
    for (let n = 1; running(); n += 1) {
      sampleRss();
      if (n % 10 === 0) heapSamples.push(await offline.heapAfterGc());
      await sleep(1000);
    }
  };

  try {
    await Promise.all([everyRoute(), everyRoute(), largeRows(), failures(), churn(), memory()]);
  } finally {
    await closeDebugger?.();
  }
  await sleep(2000);
  sampleRss();
  const heapEnd = await offline.heapAfterGc().catch(() => undefined);
  const live = await fetch(`${offline.baseUrl}/health/live`).catch(() => undefined);
  if (heapEnd) heapSamples.push(heapEnd);
  const runners = [...peaks.runners.values()].reduce((sum, bytes) => sum + bytes, 0);
  return {
    durationS: Math.round((performance.now() - started) / 100) / 10,
    statuses,
    largeRowsSent,
    fileChanges,
    heapMiB: {
      start: mib(heapStart.usedHeapBytes),
      peak: mib(Math.max(...heapSamples.map((sample) => sample.usedHeapBytes))),
      end: heapEnd ? mib(heapEnd.usedHeapBytes) : Number.NaN,
      limit: mib(heapStart.heapLimitBytes),
    },
    peakRssMiB: { runtime: mib(peaks.runtime), runners: mib(runners), total: mib(peaks.runtime + runners) },
    survived: heapEnd !== undefined && live?.status === 200,
  };
};
