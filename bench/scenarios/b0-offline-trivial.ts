import { join } from 'node:path';
import { OfflineProcess } from '../../tools/offline.js';
import { threadCount } from '../../tools/proc.js';
import { mib, rateFigure } from '../support/figures.js';
import { timeOneRequest, warmThenMeasure } from '../support/http-stage.js';
import { trackBody } from '../support/payloads.js';
import type { Bench } from '../types.js';

/** B0's serverless service (handler + serverless.yml), copied into the run's working-tree snapshot. */
export const B0_SERVICE = 'bench/scenarios/b0-service';
const TRACK_PATH = '/api/v1/events/track';

/**
 * B0: serverless offline with the same plugins and options as the service but a function that only answers 202:
 * the most P1 could reach on this machine.
 */
export const measureTrivialOffline = async ({ root, logFile, offlineArgs, nodeArgs, log }: Bench): Promise<void> => {
  const cwd = join(root, B0_SERVICE);
  const server = await OfflineProcess.start({
    cwd,
    logFile: logFile('b0'),
    ready: [/Server ready/],
    args: offlineArgs,
    nodeArgs,
  });
  try {
    const before = { ...server.memory(), threads: threadCount(server.pid) };
    const { status, ms } = await timeOneRequest(server, 'B0', TRACK_PATH, trackBody);
    const { warmup, stage } = await warmThenMeasure(server, { label: 'B0', path: TRACK_PATH, body: trackBody });
    const after = { ...server.memory(), threads: threadCount(server.pid) };
    log.add({
      id: 'B0',
      what: 'serverless offline, trivial handler (same plugins, options)',
      value: stage.load.okPerSecond,
      unit: 'req/s',
      figure: rateFigure(stage.load),
      details: {
        ...stage,
        coldStart: { status, ms },
        warmupS: warmup.load.durationS,
        rssMiB: { before: mib(before.rss), after: mib(after.rss), childrenAfter: mib(after.children) },
        threads: { before: before.threads, after: after.threads },
      },
    });
  } finally {
    await server.stop();
  }
};
