import { shardOf, shardQueueNames } from '../../lib/rabbitmq/shards.js';
import { queuePairs } from '../../lib/rabbitmq/topology.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runEnv } from '../../tools/run-config.js';
import { sleep } from '../../tools/services.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import { formatInt, summarize } from '../support/figures.js';
import { RowWatcher } from '../support/row-watcher.js';
import { shardedId } from '../support/shards.js';
import type { Bench } from '../types.js';
import { publishWindowed } from './b1-amqp-publish.js';

/**
 * The service's own `serverless offline start` (its serverless.yml, plugins and pollers, from the snapshot) on the
 * run's queues (as many shards as `bench.config` says) and database. Its `readyAt` is when the first poller
 * consumes: from then on it drains whatever is queued.
 */
export const startService = async (bench: Bench, extraEnv: Record<string, string> = {}): Promise<OfflineProcess> => {
  // Writes stay open (no API key) whatever a local .env says, so every request measures the same path.
  const env = { ...runEnv(bench.config), PERSIST_BATCH_SIZE: String(plan.batchSize), API_KEYS: '', ...extraEnv };
  const options = {
    cwd: bench.root,
    logFile: bench.logFile(`service${shardedId('', bench.config).name}`),
    env,
    args: bench.offlineArgs,
    nodeArgs: bench.nodeArgs,
  };
  const server = await OfflineProcess.start({ ...options, ready: [/polling queue/] });
  await server.waitFor(/Server ready/, 60_000);
  return server;
};

/**
 * Stops `server` and starts a service in its place (with `env` beside the run's), so that one runs at a time;
 * `between` runs while none does (a preload). `onServer` hears of the new one at once, so the caller can stop it
 * whatever happens next. Resolves with it, ready.
 */
export const replaceService = async (
  server: OfflineProcess,
  bench: Bench,
  onServer: (server: OfflineProcess) => void,
  { env = {}, between }: { env?: Record<string, string>; between?: () => Promise<void> } = {},
): Promise<OfflineProcess> => {
  await server.stop();
  await between?.();
  const started = await startService(bench, env);
  onServer(started);
  return started;
};

/**
 * The preload of P3 with N shards, published as B1 publishes but each message to the queue track would choose for
 * its user, into an empty table (as P3's at N = 1): the queues are purged of what the previous service left.
 */
export const preloadShards = async ({ broker, config, database }: Bench): Promise<void> => {
  await database.rows('TRUNCATE TABLE user_activities');
  await broker.declare(config);
  for (const { queue } of queuePairs(config)) await broker.channel.purgeQueue(queue);
  const queues = shardQueueNames(config.queueName, config.rabbitmqShards);
  const queueOf = ({ user_id }: { user_id: number }) => queues[shardOf(String(user_id), queues.length)] as string;
  const { id } = shardedId('P3', config);
  await publishWindowed(broker.channel, queueOf, id, plan.drainMessages, plan.publishWindow);
  const counts = await Promise.all(queues.map((queue) => broker.count(queue)));
  progress(`  ${id}: queued per shard ${counts.map(formatInt).join(', ')}`);
};

/**
 * P3: B1's messages (P3-N<n>: those of `preloadShards`) were queued before serverless offline started; from the
 * moment its first poller consumes, how long until all of them are rows (pollers, Lambda invocations, persist's
 * validation and INSERTs).
 */
export const measureDrain = async (server: OfflineProcess, { config, database, log }: Bench): Promise<void> => {
  const { id, over } = shardedId('P3', config);
  const count = plan.drainMessages;
  const cpu = startCpuMeter({ label: 'serverless offline', pid: server.pid, runners: server.runnerPids() });
  const watcher = new RowWatcher(database);
  let [firstRowAt, lastReport, rows, seen] = [0, Date.now(), 0, -1];
  while (rows < count && Date.now() - server.readyAt < plan.backlogTimeoutMs) {
    // The watcher reads above the highest id it saw; with several pollers, INSERTs can commit out of id order and
    // it then misses rows. When it sees nothing new, count them all (a full COUNT costs ~13 ms at 100,000 rows).
    const seenNow = await watcher.count();
    rows = seenNow === seen ? await database.countRows() : seenNow;
    seen = seenNow;
    if (rows > 0 && !firstRowAt) firstRowAt = Date.now();
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      progress(`  ${id}: ${formatInt(rows)}/${formatInt(count)} rows`);
    }
    if (rows < count) await sleep(50);
  }
  const doneAt = Date.now();
  const cpuCores = cpu();
  const exact = await database.countRows();
  const seconds = (doneAt - server.readyAt) / 1000;
  const rate = exact / seconds;
  const persistMs = server.takeDurations().get('persist') ?? [];
  progress(`  ${id}: CPU cores used: ${formatCpu(cpuCores)}`);
  const complete = exact >= count;
  log.add({
    id,
    what: `drain ${formatInt(count)} queued messages into rows${over}`,
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
