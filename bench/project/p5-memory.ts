import { plan } from '../plan.js';
import { waitForBacklog } from '../support/backlog.js';
import { mib, runHttpStage } from '../support/http-stage.js';
import type { OfflineServer } from '../support/offline-server.js';
import { trackBody } from '../support/payloads.js';
import { formatInt, progress } from '../support/progress.js';
import type { BenchServices } from '../support/services.js';
import type { Measurement } from '../types.js';
import { readMemory, settledMemory, type MemoryReading, type MemoryTimeline } from './memory-reading.js';
import { TRACK_PATH } from './p1-track.js';

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)} MiB`;

/**
 * P5: RSS of the serverless offline process, idle, before its first track request and after `plan.memoryRequests`
 * of them (P1's and P4's requests count; the rest are sent here). The details add the reading right after P1's
 * warm-up (connections open, worker threads started if any) and a timeline that shows whether memory climbs with
 * the requests (a leak) or saw-tooths (garbage collection).
 */
export const measureMemory = async (
  server: OfflineServer,
  services: BenchServices,
  readings: { cold: MemoryReading; warm?: MemoryReading; timeline: MemoryTimeline },
  alreadySent: number,
): Promise<Measurement> => {
  const remaining = Math.max(0, plan.memoryRequests - alreadySent);
  progress(`  P5: ${formatInt(alreadySent)} track requests so far; sending ${formatInt(remaining)} more`);
  const stage = remaining > 0
    ? await runHttpStage(server, {
      label: 'P5',
      url: `${server.baseUrl}${TRACK_PATH}`,
      body: trackBody,
      connections: plan.connections,
      amount: remaining,
    })
    : undefined;
  const loaded = readMemory(server);
  const backlog = await waitForBacklog(services, 'P5', plan.backlogTimeoutMs);
  const after = await settledMemory(server, 'P5');
  const { cold, warm, timeline } = readings;
  timeline.stop();
  const peak = Math.max(...timeline.samples.map((sample) => sample.rssMiB));
  const growth = mib(after.rss - cold.rss);
  const warmGrowth = warm ? mib(after.rss - warm.rss) : null;
  return {
    id: 'P5',
    what: `RSS of serverless offline across ${formatInt(plan.memoryRequests)} track requests`,
    value: growth,
    unit: 'MiB growth',
    figure: `${formatInt(mib(cold.rss))} -> ${formatInt(mib(after.rss))} MiB idle (${signed(growth)}), peak ${formatInt(peak)} under load` +
      (after.threads > cold.threads ? `, ${after.threads - cold.threads} more threads` : ''),
    details: {
      requests: alreadySent + remaining,
      rssMiB: {
        beforeIdle: mib(cold.rss),
        rightAfterP1WarmUp: warm ? mib(warm.rss) : null,
        rightAfterLoad: mib(loaded.rss),
        afterIdle: mib(after.rss),
        peakUnderLoad: peak,
      },
      rssTimeline: timeline.samples,
      growthMiB: { idleToIdle: growth, fromP1WarmUp: warmGrowth },
      childProcessesRssMiB: { before: mib(cold.children), after: mib(after.children) },
      threads: { before: cold.threads, warm: warm?.threads ?? null, after: after.threads },
      backlog,
      ...(stage ? { load: stage.load, cpuCores: stage.cpuCores, handlerMs: stage.handlerMs } : {}),
    },
  };
};
