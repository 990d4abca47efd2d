import { plan } from '../plan.js';
import type { RunLog } from '../run-log.js';
import type { BaselineContext } from '../baselines/measure-baselines.js';
import { waitForBacklog } from '../support/backlog.js';
import type { OfflineServer } from '../support/offline-server.js';
import { formatInt } from '../support/progress.js';
import { MemoryTimeline, settledMemory } from './memory-reading.js';
import { measureTrack } from './p1-track.js';
import { measureBatch } from './p2-batch.js';
import { measureDrain } from './p3-drain.js';
import { measureVisibility } from './p4-latency.js';
import { measureMemory } from './p5-memory.js';
import { startProject } from './start-project.js';

export interface ProjectContext extends BaselineContext {
  preloaded: boolean;
  /** Told about the server as soon as it runs, so the caller can stop it whatever happens. */
  onServer(server: OfflineServer): void;
}

/**
 * Starts the service (its poller drains the preload: P3), then P1, P4 at half P1's rate, P5 (whose 50,000 track
 * requests include P1's and P4's) and P2 last, so batch traffic does not mix into P5's memory reading.
 */
export const measureProject = async (log: RunLog, context: ProjectContext): Promise<void> => {
  const { config, services, root, logFile, offlineArgs, nodeArgs } = context;
  const server = await startProject(config, { root, logFile: logFile('service'), args: offlineArgs, nodeArgs })
    .catch((error: unknown) => log.fail('P3', error));
  if (!server) return;
  context.onServer(server);
  if (context.preloaded) {
    await log.stage('P3', 'serverless offline started; its poller drains the preload', async () => {
      log.add(await measureDrain(server, services, plan.drainMessages));
    });
  }
  const cold = await settledMemory(server, 'P5 (before)');
  // A leak grows with the requests; a heap that a burst merely sized up levels off: the timeline tells which.
  const timeline = new MemoryTimeline(server);
  timeline.stage = 'P1';
  const track = await log.stage('P1', `POST /api/v1/events/track for ${plan.durationS} s`, async () => {
    const run = await measureTrack(server, services);
    log.add(run.measurement);
    run.measurement.details.backlog = await waitForBacklog(services, 'P1', plan.backlogTimeoutMs);
    return run;
  });
  timeline.stage = 'P4';
  const visibility = track && await log.stage('P4', `202 -> row at ${formatInt(track.okPerSecond / 2)} req/s`, async () => {
    const run = await measureVisibility(server, services, track.okPerSecond / 2);
    log.add(run.measurement);
    return run;
  });
  timeline.stage = 'P5';
  await log.stage('P5', `memory across ${formatInt(plan.memoryRequests)} track requests`, async () => {
    const readings = { cold, timeline, ...(track ? { warm: track.warmMemory } : {}) };
    log.add(await measureMemory(server, services, readings, (track?.requests ?? 0) + (visibility?.requests ?? 0)));
  });
  timeline.stop();
  await log.stage('P2', `POST /api/v1/events/batch, ${plan.batchEvents} events per request`, async () => {
    log.add(await measureBatch(server, services));
  });
};
