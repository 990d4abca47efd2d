import { toolSettings } from '../tools/env.js';

/** Sizes of each measurement. BENCH_QUICK=1 shrinks them about tenfold to check the harness itself. */
const { quick } = toolSettings().bench;

export const plan = {
  quick,
  /** HTTP connections of the closed-loop loads (B0, P1, P2, P5). */
  connections: 20,
  /**
   * Uncounted load before each HTTP measurement, until the answer rate is steady (at least `warmupS`, at most
   * `maxWarmupS`): handlers load and connect on first use, and with worker threads serverless offline starts one
   * per concurrent request, each loading the bundle.
   */
  warmupS: quick ? 3 : 5,
  maxWarmupS: 60,
  /** Length of the B0, P1, P2 and P4 measurements. */
  durationS: quick ? 3 : 10,
  /** B1 publishes this many messages, which are P3's preload; P3-N<n> preloads as many over n queues. */
  drainMessages: quick ? 10_000 : 100_000,
  /** Shard counts P3 is measured at besides 1; P1 is measured again at the last. */
  shardCounts: [2, 4],
  /** Confirms B1 lets wait at once. */
  publishWindow: 1000,
  /** Messages of B1's variant whose window is P1's concurrency (purged afterwards). */
  narrowWindowMessages: quick ? 5_000 : 20_000,
  /** B2 inserts this many rows per batch size: the poller's (PERSIST_BATCH_SIZE) and a large one. */
  mysqlRows: quick ? 10_000 : 100_000,
  batchSize: toolSettings().persistBatchSize,
  largeBatchSize: 1000,
  /** Events in each P2 request. */
  batchEvents: 100,
  /** Track requests between P5's two readings. */
  memoryRequests: quick ? 5_000 : 50_000,
  /** P4 polls the table this often. */
  visibilityPollMs: 10,
  /** Length of the soak whose memory M-soak reports (test/e2e/soak.test.ts runs a shorter one in CI). */
  soakS: quick ? 15 : 120,
  /** Longest wait for a backlog to become rows. */
  backlogTimeoutMs: 180_000,
} as const;
