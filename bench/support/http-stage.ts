import { performance } from 'node:perf_hooks';
import { type ClosedLoadOptions, runClosedLoad } from '../../tools/load/closed-loop.js';
import type { OfflineProcess } from '../../tools/offline.js';
import { threadCount } from '../../tools/proc.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatCpu, startCpuMeter } from './cpu-meter.js';
import { summarize } from './figures.js';

/** A closed-loop load against `server`, with what the server and the machine did meanwhile. */
export const runHttpStage = async (server: OfflineProcess, options: Omit<ClosedLoadOptions, 'onProgress'>) => {
  server.takeDurations();
  // OS threads of the server before and after: each new Lambda worker thread adds one.
  const threadsBefore = threadCount(server.pid);
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid, runners: server.runnerPids() });
  const load = await runClosedLoad({ ...options, onProgress: progress });
  const cpuCores = cpu();
  // Invocation durations serverless offline logged during the load, by function (handler plus runner hop).
  const handlerMs = Object.fromEntries([...server.takeDurations()].map(([name, ms]) => [name, summarize(ms)]));
  return { load, cpuCores, handlerMs, threads: { before: threadsBefore, after: threadCount(server.pid) } };
};

export type HttpStage = Awaited<ReturnType<typeof runHttpStage>>;

/**
 * Uncounted load until the answer rate holds steady (handlers loaded and connected; with worker threads, one per
 * connection), then `onWarm`, then the measured `plan.durationS` with `plan.connections`.
 */
export const warmThenMeasure = async <T>(
  server: OfflineProcess,
  {
    label,
    path,
    ...options
  }: Pick<ClosedLoadOptions, 'label' | 'body' | 'onResponse' | 'uniqueIds' | 'contentType'> & { path: string },
  onWarm: () => T = () => undefined as T,
): Promise<{ warmup: HttpStage; warm: T; stage: HttpStage }> => {
  const load = { ...options, url: `${server.baseUrl}${path}`, connections: plan.connections };
  const steady = { durationS: plan.maxWarmupS, steadyAfterS: plan.warmupS };
  const warmup = await runHttpStage(server, { ...load, ...steady, label: `${label} warm-up` });
  const warm = onWarm();
  const stage = await runHttpStage(server, { ...load, label, durationS: plan.durationS });
  progress(`  ${label}: CPU cores used: ${formatCpu(stage.cpuCores)}`);
  return { warmup, warm, stage };
};

/** The first request's answer and how long it took: the handler's cold start (bundle load, connections). */
export const timeOneRequest = async (
  server: OfflineProcess,
  label: string,
  path: string,
  body: string,
  contentType = 'application/json',
) => {
  const begun = performance.now();
  const response = await server.post(path, body, { 'content-type': contentType });
  const text = await response.text();
  const [status, ms] = [response.status, Math.round(performance.now() - begun)];
  progress(`  ${label}: first request (server pid ${server.pid}) answered ${status} in ${ms} ms`);
  return { status, ms, text };
};
