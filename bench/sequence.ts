import type { OfflineProcess } from '../tools/offline.js';
import { plan } from './plan.js';
import { measureTrivialOffline } from './scenarios/b0-offline-trivial.js';
import { measureAmqpPublish } from './scenarios/b1-amqp-publish.js';
import { measureMysqlInsert } from './scenarios/b2-mysql-insert.js';
import { measureRawDrain } from './scenarios/b3-raw-drain.js';
import { measureErasure } from './scenarios/erase.js';
import { measureSoak } from './scenarios/m-soak.js';
import { measureTrackDuringDrain } from './scenarios/p1-drain.js';
import { measureTrack } from './scenarios/p1-track.js';
import { measureBatch } from './scenarios/p2-batch.js';
import { measureBatchWithPlan } from './scenarios/p2-plan.js';
import { browserBatchLoad, measureSegmentLoads, segmentBatchLoad } from './scenarios/p2-segment-batch.js';
import { measureDrain, preloadShards, replaceService, startService } from './scenarios/p3-drain.js';
import { measureVisibility } from './scenarios/p4-latency.js';
import { measureMemory } from './scenarios/p5-memory.js';
import { measurePlanColdStart } from './scenarios/plan-cold-start.js';
import { measureWithSuppressions } from './scenarios/suppressed.js';
import { formatInt } from './support/figures.js';
import { MemoryTimeline, settledMemory } from './support/memory-reading.js';
import { shardedId, withShards } from './support/shards.js';
import type { Bench } from './types.js';

/**
 * Stops `server`, queues P3's preload over `bench`'s shards (into an emptied table) and starts a service on that
 * backlog, which `onServer` hears of at once; resolves with it, its pollers already draining.
 */
const restartOnBacklog = async (
  server: OfflineProcess,
  bench: Bench,
  onServer: (server: OfflineProcess) => void,
): Promise<OfflineProcess> => replaceService(server, bench, onServer, { between: () => preloadShards(bench) });

/**
 * P3 again with the preload spread over each of `plan.shardCounts` queues, drained by a service started with as
 * many pollers, each time into an emptied table; then P1 on the last one, in P1's conditions: right after its
 * drain, with its pollers storing what the requests publish.
 */
const measureShards = async (bench: Bench, first: OfflineProcess, onServer: (server: OfflineProcess) => void) => {
  let [server, sharded] = [first, bench];
  for (const shards of plan.shardCounts) {
    sharded = { ...bench, config: withShards(bench.config, shards) };
    const { id } = shardedId('P3', sharded.config);
    const routed = `${formatInt(plan.drainMessages)} messages routed over ${shards} queues`;
    const drained = await bench.log.stage(id, `${routed}; a service with ${shards} pollers drains them`, async () => {
      const started = await restartOnBacklog(server, sharded, onServer);
      await measureDrain(started, sharded);
      return started;
    });
    if (!drained) return;
    server = drained;
  }
  const { id } = shardedId('P1', sharded.config);
  await bench.log.stage(id, `POST /api/v1/events/track for ${plan.durationS} s`, () => measureTrack(server, sharded));
};

/**
 * The scenarios in order, and what passes between them: B2; B1, which leaves P3's preload on the queue; B0; then
 * the service starts (its poller drains the preload: P3), P1, P4 at half P1's rate, P5 (whose track requests
 * include P1's and P4's), then P2, P2-seg and P2-browser (Segment's batch as the Node and the browser SDKs send it,
 * in P2's conditions), so batch traffic does not mix into P5's memory reading; P2-plan (P2 on a service with a
 * tracking plan, which replaces P2's) and the plan's cold start; P1-unsupp, P2-unsupp, P1-supp and P2-supp (P1's and P2's loads without and with 10,000
 * subjects suppressed, on a service of their own), then on that service D-erase (a million rows of one user deleted
 * under half P1's load); last the sharded runs (P3-N2, P3-N4,
 * P1-N4), each on a service of its own. `onServer` hears of each service as soon as it runs, so the caller can stop
 * it whatever happens.
 */
export const measureAll = async (bench: Bench, onServer: (server: OfflineProcess) => void): Promise<void> => {
  const { log } = bench;
  const sizes = `${plan.batchSize} and ${plan.largeBatchSize} per INSERT`;
  await log.stage('B2', `${formatInt(plan.mysqlRows)} rows through mysql2, ${sizes}`, () => measureMysqlInsert(bench));
  await log.stage('B3', `${formatInt(plan.drainMessages)} messages drained by amqplib + mysql2`, () =>
    measureRawDrain(bench),
  );
  const messages = `${formatInt(plan.drainMessages)} messages through amqplib (P3's preload)`;
  const preloaded = await log.stage('B1', messages, () => measureAmqpPublish(bench));
  await log.stage('B0', 'serverless offline with a trivial handler', () => measureTrivialOffline(bench));

  const server = await startService(bench).catch((error: unknown) => log.fail('P3', error));
  if (!server) return;
  onServer(server);
  if (preloaded) {
    await log.stage('P3', 'the service started; its poller drains the preload', () => measureDrain(server, bench));
  }
  const cold = await settledMemory(server, 'P5 (before)');
  // A leak grows with the requests; a heap that a burst merely sized up levels off: the timeline tells which.
  const timeline = new MemoryTimeline(server);
  timeline.stage = 'P1';
  const track = await log.stage('P1', `POST /api/v1/events/track for ${plan.durationS} s`, () =>
    measureTrack(server, bench),
  );
  timeline.stage = 'P4';
  const rate = (track?.okPerSecond ?? 0) / 2;
  const visibility =
    track &&
    (await log.stage('P4', `202 -> row at ${formatInt(rate)} req/s`, () => measureVisibility(server, bench, rate)));
  timeline.stage = 'P5';
  const memory = { cold, timeline, warm: track?.warmMemory };
  const sent = (track?.requests ?? 0) + (visibility ?? 0);
  await log.stage('P5', `memory across ${formatInt(plan.memoryRequests)} track requests`, () =>
    measureMemory(server, bench, memory, sent),
  );
  timeline.stop();
  await log.stage('P2', `POST /api/v1/events/batch, ${plan.batchEvents} events per request`, () =>
    measureBatch(server, bench),
  );
  await log.stage('P2-seg', 'P2-seg and P2-browser in alternating windows', () =>
    measureSegmentLoads([segmentBatchLoad, browserBatchLoad], server, bench),
  );
  const planned = await log.stage('P2-plan', "P2's load on a service with a 500-type tracking plan", () =>
    measureBatchWithPlan(server, bench, onServer),
  );
  await log.stage('P2-plan-cold', 'cold start of track with that plan, in fresh Node processes', async () =>
    log.add(await measurePlanColdStart(bench.root)),
  );
  const latest = planned ?? server;
  const suppressing = await measureWithSuppressions(latest, bench, onServer).catch((error: unknown) =>
    log.fail('P1-supp', error),
  );
  if (suppressing && track) {
    const rows = plan.quick ? '100,000' : '1,000,000';
    await log.stage('D-erase', `${rows} rows of one user deleted under half P1's load`, () =>
      measureErasure(suppressing, bench, track.okPerSecond / 2),
    );
  }
  const during = await log.stage(
    'P1-drain',
    `P1's load on a service draining ${formatInt(plan.drainMessages)} messages`,
    async () => {
      const started = await restartOnBacklog(suppressing ?? latest, bench, onServer);
      await measureTrackDuringDrain(started, bench);
      return started;
    },
  );
  if (!during) return;
  await log.stage('M-soak', `the local runtime under the soak for ${plan.soakS} s`, () => measureSoak(during, bench));
  await measureShards(bench, during, onServer);
};
