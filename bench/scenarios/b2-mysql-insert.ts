import { performance } from 'node:perf_hooks';
import type { Connection } from 'mysql2/promise';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { startCpuMeter } from '../support/cpu-meter.js';
import { formatInt } from '../support/figures.js';
import { activityMessage } from '../support/payloads.js';
import type { Bench } from '../types.js';

// An empty copy of user_activities, from the same definition (`CREATE TABLE … LIKE`).
export const BASELINE_TABLE = 'user_activities_baseline';
const TABLE = BASELINE_TABLE;
// The statement persist's Drizzle adapter sends, written by hand: same columns, same duplicate handling.
export const BASELINE_INSERT = `INSERT INTO \`${TABLE}\` (event_id, user_id, event_type, occurred_at, received_at, metadata)
  VALUES ? ON DUPLICATE KEY UPDATE id = id`;
const WARMUP_ROWS = 10_000;

/** The row B2 and B3 insert for a queued message. */
export const baselineRow = ({ event_id, user_id, event_type, timestamp, received_at, metadata }: ActivityMessage) => [
  event_id,
  user_id,
  event_type,
  new Date(timestamp),
  new Date(received_at as string),
  JSON.stringify(metadata),
];

const toRow = () => baselineRow(activityMessage());

/** Multi-row INSERTs one at a time on one connection, as the poller keeps one batch in flight. */
const insertRows = async (db: Connection, rows: number, batchSize: number, onProgress: (done: number) => void) => {
  for (let done = 0; done < rows; done += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, rows - done) }, toRow);
    await db.query(BASELINE_INSERT, [batch]);
    onProgress(done + batch.length);
  }
};

const measureInsert = async ({ database, log }: Bench, id: string, batchSize: number): Promise<void> => {
  const db = database.connection;
  await db.query(`CREATE TABLE IF NOT EXISTS \`${TABLE}\` LIKE \`user_activities\``);
  // A short uncounted round first: right after a previous run dropped its database, InnoDB is still busy with that.
  await insertRows(db, WARMUP_ROWS, batchSize, () => undefined);
  await db.query(`TRUNCATE TABLE \`${TABLE}\``);
  const cpu = startCpuMeter();
  const begun = performance.now();
  await insertRows(db, plan.mysqlRows, batchSize, (done) => {
    if (done % 25_000 === 0) progress(`  ${id}: ${formatInt(done)}/${formatInt(plan.mysqlRows)} rows`);
  });
  const seconds = (performance.now() - begun) / 1000;
  const rate = plan.mysqlRows / seconds;
  const details = { rows: plan.mysqlRows, batchSize, seconds, cpuCores: cpu() };
  const what = `raw mysql2 INSERT, ${batchSize} rows per statement`;
  log.add({ id, what, value: rate, unit: 'rows/s', figure: `${formatInt(rate)} rows/s`, details });
};

/** B2: plain mysql2 multi-row INSERTs, the poller's batch size and a large one, into an empty user_activities. */
export const measureMysqlInsert = async (bench: Bench): Promise<void> => {
  await measureInsert(bench, 'B2', plan.batchSize);
  await measureInsert(bench, `B2-${plan.largeBatchSize}`, plan.largeBatchSize);
};
