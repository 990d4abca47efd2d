import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { waitForBacklog } from '../support/backlog.js';
import { formatInt, mib } from '../support/figures.js';
import { runHttpStage } from '../support/http-stage.js';
import { type MemoryReading, type MemoryTimeline, readMemory, settledMemory } from '../support/memory-reading.js';
import { trackBody } from '../support/payloads.js';
import type { Bench } from '../types.js';
import { TRACK_PATH } from './p1-track.js';

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)} MiB`;

/**
 * P5: RSS of the serverless offline process, idle, before its first track request and after `plan.memoryRequests`
 * of them (P1's and P4's requests count; the rest are sent here). The details add the reading right after P1's
 * warm-up (connections open, worker threads started if any) and a timeline that shows whether memory climbs with
 * the requests (a leak) or saw-tooths (garbage collection).
 */
export const measureMemory = async (
  server: OfflineProcess,
  bench: Bench,
  { cold, warm, timeline }: { cold: MemoryReading; warm?: MemoryReading; timeline: MemoryTimeline },
  alreadySent: number,
): Promise<void> => {
  const remaining = Math.max(0, plan.memoryRequests - alreadySent);
  progress(`  P5: ${formatInt(alreadySent)} track requests so far; sending ${formatInt(remaining)} more`);
  const load = { label: 'P5', url: `${server.baseUrl}${TRACK_PATH}`, body: trackBody, connections: plan.connections };
  const stage = remaining > 0 ? await runHttpStage(server, { ...load, amount: remaining }) : undefined;
  const loaded = readMemory(server);
  const backlog = await waitForBacklog(bench, plan.backlogTimeoutMs);
  const after = await settledMemory(server, 'P5');
  timeline.stop();
  const peak = Math.max(...timeline.samples.map((sample) => sample.rssMiB));
  // Issue 18: the persist runners (child processes) count, as does the rest of the runtime's process tree.
  const growth = mib(after.rss + after.children - (cold.rss + cold.children));
  const moreThreads = after.threads > cold.threads ? `, ${after.threads - cold.threads} more threads` : '';
  bench.log.add({
    id: 'P5',
    what: `RSS of serverless offline and its runners across ${formatInt(plan.memoryRequests)} track requests`,
    value: growth,
    unit: 'MiB growth',
    figure: `${formatInt(mib(cold.rss + cold.children))} -> ${formatInt(mib(after.rss + after.children))} MiB idle (${signed(growth)}), runtime peak ${formatInt(peak)} under load${moreThreads}`,
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
      growthMiB: { idleToIdle: growth, fromP1WarmUp: warm ? mib(after.rss - warm.rss) : null },
      childProcessesRssMiB: { before: mib(cold.children), after: mib(after.children) },
      threads: { before: cold.threads, warm: warm?.threads ?? null, after: after.threads },
      backlog,
      ...(stage ? { load: stage.load, cpuCores: stage.cpuCores, handlerMs: stage.handlerMs } : {}),
    },
  });
};
