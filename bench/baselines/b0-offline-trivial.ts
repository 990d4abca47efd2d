import { join } from 'node:path';
import { plan } from '../plan.js';
import { formatCpu } from '../support/cpu-meter.js';
import { mib, runHttpStage, timeOneRequest, warmUp } from '../support/http-stage.js';
import { failureNote } from '../support/load.js';
import { OfflineServer } from '../support/offline-server.js';
import { trackBody } from '../support/payloads.js';
import { threadCount } from '../support/proc.js';
import { formatInt, progress } from '../support/progress.js';
import type { Measurement } from '../types.js';

const TRACK_PATH = '/api/v1/events/track';

/**
 * B0: serverless offline with the same plugins and options as the service but a function that only answers 202:
 * the most P1 could reach on this machine.
 */
export const measureTrivialOffline = async (
  { root, logFile, args, nodeArgs }: { root: string; logFile: string; args: string[]; nodeArgs: string[] },
): Promise<Measurement> => {
  const server = await OfflineServer.start({ cwd: join(root, 'bench', 'baseline'), env: {}, ready: /Server ready/, logFile, args, nodeArgs });
  try {
    const url = `${server.baseUrl}${TRACK_PATH}`;
    const before = { ...server.memory(), threads: threadCount(server.pid) };
    const coldStart = await timeOneRequest(url, trackBody);
    progress(`  B0: server up (pid ${server.pid}); first request answered ${coldStart.status} in ${coldStart.ms} ms; warming up`);
    const warmup = await warmUp(server, { label: 'B0 warm-up', url, body: trackBody, connections: plan.connections });
    const stage = await runHttpStage(server, { label: 'B0', url, body: trackBody, connections: plan.connections, durationS: plan.durationS });
    const after = { ...server.memory(), threads: threadCount(server.pid) };
    const { load } = stage;
    progress(`  B0: CPU cores used: ${formatCpu(stage.cpuCores)}`);
    return {
      id: 'B0',
      what: 'serverless offline, trivial handler (same plugins, options)',
      value: load.okPerSecond,
      unit: 'req/s',
      figure: `${formatInt(load.okPerSecond)} req/s (p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms${failureNote(load)})`,
      details: {
        ...stage,
        coldStart,
        warmupS: warmup.load.durationS,
        rssMiB: { before: mib(before.rss), after: mib(after.rss), childrenAfter: mib(after.children) },
        threads: { before: before.threads, after: after.threads },
      },
    };
  } finally {
    await server.stop();
  }
};
