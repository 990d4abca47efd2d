import { cpus } from 'node:os';
import { plan } from './plan.js';
import { formatInt } from './support/progress.js';
import type { Measurement } from './types.js';

/** How to read the figures; printed under the table and kept in the JSON. */
export const runNotes = (offlineArgs: string[], nodeArgs: string[]): string[] => [
  `All parties share this machine's ${cpus().length} CPU cores: the load generator (autocannon, in the bench process), ` +
    'serverless offline, RabbitMQ and MariaDB/MySQL. The "cpuCores" details show who used how much in each stage.',
  `B1's ${formatInt(plan.drainMessages)} messages stay on the queue as P3's preload; P3 starts timing when the poller ` +
    `of a freshly started serverless offline begins consuming. B1-w${plan.connections} publishes with P1's concurrency ` +
    'as its window, which is how track publishes (all requests share one connection in the one process).',
  'P4 compares the time each 202 arrived with the time a poll of the table (every ' +
    `${plan.visibilityPollMs} ms, by auto-increment id) first returned the row; the row's created_at gives the same ` +
    'without the polling delay.',
  'P5 reads RSS idle (the lowest over 6 s) before and after: under load it saw-tooths with garbage collection, ' +
    'so its peak is shown too; the details have a timeline.',
  'Both serverless offline instances run from a copy of the working tree taken at the start of the run ' +
    "(serverless-esbuild's watcher would otherwise reload every handler whenever a .ts/.js file is edited), " +
    'with their output in a file (a pipe to the busy load generator would stall them), and with the Node flags ' +
    `\`npm start\` gives the service (${nodeArgs.join(' ')}).`,
  ...(plan.quick ? ['BENCH_QUICK=1: a reduced plan, not comparable with full runs.'] : []),
  ...(offlineArgs.length ? [`serverless offline started with ${offlineArgs.join(' ')} (BENCH_OFFLINE_ARGS).`] : []),
];

const DISTURBED_CORES = 0.15;

/** Stages during which processes outside the benchmark used a noticeable share of the CPU. */
export const disturbanceNote = (measurements: Measurement[]): string | undefined => {
  const disturbed = measurements.flatMap((m) => {
    const other = (m.details.cpuCores as Record<string, number> | undefined)?.['other processes'] ?? 0;
    return other > DISTURBED_CORES ? [`${m.id} (${other.toFixed(2)} cores)`] : [];
  });
  return disturbed.length
    ? `Processes outside the benchmark used CPU during ${disturbed.join(', ')}: those figures are lower than this machine can do.`
    : undefined;
};
