import { OfflineProcess } from '../../tools/offline.js';
import { runEnv } from '../../tools/run-config.js';
import { sleep } from '../../tools/services.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import { formatInt, summarize } from '../support/figures.js';
import { RowWatcher } from '../support/row-watcher.js';
import type { Bench } from '../types.js';

/**
 * The service's own `serverless offline start` (its serverless.yml, plugins and poller, from the snapshot) on the
 * run's queue and database. Its `readyAt` is when the poller consumes: from then on it drains whatever is queued.
 */
export const startService = async (bench: Bench): Promise<OfflineProcess> => {
  // Writes stay open (no API key) whatever a local .env says, so every request measures the same path.
  const env = { ...runEnv(bench.config), PERSIST_BATCH_SIZE: String(plan.batchSize), API_KEYS: '' };
  const options = {
    cwd: bench.root,
    logFile: bench.logFile('service'),
    env,
    args: bench.offlineArgs,
    nodeArgs: bench.nodeArgs,
  };
  const server = await OfflineProcess.start({ ...options, ready: [/polling queue/] });
  await server.waitFor(/Server ready/, 60_000);
  return server;
};

/**
 * P3: B1's messages were queued before serverless offline started; from the moment its poller consumes, how long
 * until all of them are rows (poller, Lambda invocation, persist's validation and INSERTs).
 */
export const measureDrain = async (server: OfflineProcess, { database, log }: Bench): Promise<void> => {
  const count = plan.drainMessages;
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid });
  const watcher = new RowWatcher(database);
  let [firstRowAt, lastReport, rows] = [0, Date.now(), 0];
  while (rows < count && Date.now() - server.readyAt < plan.backlogTimeoutMs) {
    rows = await watcher.count();
    if (rows > 0 && !firstRowAt) firstRowAt = Date.now();
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      progress(`  P3: ${formatInt(rows)}/${formatInt(count)} rows`);
    }
    if (rows < count) await sleep(50);
  }
  const doneAt = Date.now();
  const cpuCores = cpu();
  const exact = await database.countRows();
  const seconds = (doneAt - server.readyAt) / 1000;
  const rate = exact / seconds;
  const persistMs = server.takeDurations().get('persist') ?? [];
  progress(`  P3: CPU cores used: ${formatCpu(cpuCores)}`);
  const complete = exact >= count;
  log.add({
    id: 'P3',
    what: `drain ${formatInt(count)} queued messages into rows`,
    value: complete ? rate : null,
    unit: 'rows/s',
    figure: complete
      ? `${formatInt(rate)} rows/s (${seconds.toFixed(1)} s)`
      : `incomplete: ${formatInt(exact)} rows after ${seconds.toFixed(0)} s`,
    details: {
      messages: count,
      rows: exact,
      seconds,
      firstRowAfterMs: firstRowAt ? firstRowAt - server.readyAt : null,
      steadyRowsPerSecond: firstRowAt ? Math.round(exact / ((doneAt - firstRowAt) / 1000)) : null,
      persistInvocations: persistMs.length,
      rowsPerInvocation: persistMs.length ? Math.round(exact / persistMs.length) : null,
      persistHandlerMs: summarize(persistMs),
      // Between the first and the last batch, how long each took end to end (poller included), next to the
      // handler's own duration above: the difference is what the poller and the batch hand-over cost.
      wallMsPerBatch:
        firstRowAt && persistMs.length > 1
          ? Math.round(((doneAt - firstRowAt) / (persistMs.length - 1)) * 100) / 100
          : null,
      cpuCores,
    },
  });
};
