import { performance } from 'node:perf_hooks';
import { plan } from '../plan.js';
import type { CpuShare } from './cpu-meter.js';
import { startCpuMeter } from './cpu-meter.js';
import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import type { OfflineServer } from './offline-server.js';
import { threadCount } from './proc.js';
import { summarize, type Summary } from './stats.js';

export interface HttpStage {
  load: LoadResult;
  cpuCores: CpuShare;
  /** Invocation durations serverless offline logged during the load, by function (handler plus runner hop). */
  handlerMs: Record<string, Summary>;
  /** OS threads of the server before and after: each new Lambda worker thread adds one. */
  threads: { before: number; after: number };
}

/** Runs a closed-loop load against `server` and collects what the server and the machine did meanwhile. */
export const runHttpStage = async (server: OfflineServer, options: LoadOptions): Promise<HttpStage> => {
  server.takeDurations();
  const threadsBefore = threadCount(server.pid);
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid });
  const load = await runLoad(options);
  const cpuCores = cpu();
  const handlerMs = Object.fromEntries([...server.takeDurations()].map(([name, values]) => [name, summarize(values)]));
  return { load, cpuCores, handlerMs, threads: { before: threadsBefore, after: threadCount(server.pid) } };
};

/** Uncounted load until the answer rate holds steady (with worker threads: until each connection has its own). */
export const warmUp = (server: OfflineServer, options: Omit<LoadOptions, 'durationS' | 'steadyAfterS'>): Promise<HttpStage> =>
  runHttpStage(server, { ...options, durationS: plan.maxWarmupS, steadyAfterS: plan.warmupS });

/** Milliseconds until the answer to the first request: the handler's cold start (bundle load, connections). */
export const timeOneRequest = async (url: string, body: string): Promise<{ status: number; ms: number }> => {
  const begun = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  return { status: response.status, ms: Math.round(performance.now() - begun) };
};

export const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
