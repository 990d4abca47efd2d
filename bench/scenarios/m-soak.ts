import { join } from 'node:path';
import { launchChromium, withoutChromium } from '../../tools/chromium.js';
import { soak } from '../../tools/load/soak.js';
import type { OfflineProcess } from '../../tools/offline.js';
import { plan } from '../plan.js';
import type { Bench } from '../types.js';

/**
 * M-soak: the memory of the whole local runtime, persist runners included, across the soak of issue 18 (every
 * route, 500s, rows of ~31 KB, the debugger open in Chromium, files written in the checkout): the heap after GC at
 * the start, highest and end, and the peak RSS of the runtime and of its runners.
 */
export const measureSoak = async (server: OfflineProcess, bench: Bench): Promise<void> => {
  const browser = withoutChromium ? undefined : await launchChromium();
  try {
    const report = await soak(
      {
        offline: server,
        database: bench.database,
        // The bench's service is open (no keys), so any key passes.
        writeKey: 'bench-soak-key',
        readKey: 'bench-soak-key',
        churnDir: join(bench.root, '.soak-churn'),
        ...(browser
          ? {
              openDebugger: async (url: string) => {
                const page = await browser.newPage();
                await page.goto(`${url}/debugger`);
                return () => page.close();
              },
            }
          : {}),
      },
      plan.soakS * 1000,
    );
    const { heapMiB: heap, peakRssMiB: rss } = report;
    const answers = Object.entries(report.statuses)
      .map(([status, n]) => `${n} x ${status}`)
      .join(', ');
    bench.log.add({
      id: 'M-soak',
      what: `memory of the runtime and its runners across a ${plan.soakS} s soak${browser ? '' : ' (no Chromium: no debugger tab)'}`,
      value: heap.end - heap.start,
      unit: 'MiB heap growth',
      figure:
        `heap after GC ${heap.start} -> ${heap.end} MiB (peak ${heap.peak}, bound ${heap.limit}); ` +
        `peak RSS ${rss.runtime} + runners ${rss.runners} = ${rss.total} MiB; ${report.survived ? 'up' : 'DOWN'}; ${answers}`,
      details: { ...report },
    });
  } finally {
    await browser?.close();
  }
};
