import { performance } from 'node:perf_hooks';
import type { Connection } from 'mysql2/promise';
import { startCpuMeter } from '../support/cpu-meter.js';
import { activityMessage } from '../support/payloads.js';
import { formatInt, progress } from '../support/progress.js';
import { BASELINE_TABLE } from '../support/services.js';
import type { Measurement } from '../types.js';

// The statement persist's Drizzle adapter sends, written by hand: same columns, same duplicate handling.
const INSERT = `INSERT INTO \`${BASELINE_TABLE}\` (event_id, user_id, event_type, occurred_at, received_at, metadata)
  VALUES ? ON DUPLICATE KEY UPDATE id = id`;

const WARMUP_ROWS = 10_000;

const toRow = () => {
  const message = activityMessage();
  return [
    message.event_id,
    message.user_id,
    message.event_type,
    new Date(message.timestamp),
    new Date(message.received_at),
    JSON.stringify(message.metadata),
  ];
};

/**
 * B2: plain mysql2 multi-row INSERTs, one at a time on one connection (the poller keeps one batch in flight),
 * into an empty copy of user_activities.
 */
const insertRows = async (db: Connection, rows: number, batchSize: number, onProgress: (done: number) => void) => {
  for (let done = 0; done < rows; done += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, rows - done) }, toRow);
    await db.query(INSERT, [batch]);
    onProgress(done + batch.length);
  }
};

export const measureMysqlInsert = async (
  db: Connection,
  { id, rows, batchSize }: { id: string; rows: number; batchSize: number },
): Promise<Measurement> => {
  // A short uncounted round first: right after a previous run dropped its database, InnoDB is still busy with that.
  await insertRows(db, WARMUP_ROWS, batchSize, () => undefined);
  await db.query(`TRUNCATE TABLE \`${BASELINE_TABLE}\``);
  const cpu = startCpuMeter();
  const begun = performance.now();
  await insertRows(db, rows, batchSize, (done) => {
    if (done % 25_000 === 0) progress(`  ${id}: ${formatInt(done)}/${formatInt(rows)} rows`);
  });
  const seconds = (performance.now() - begun) / 1000;
  const rate = rows / seconds;
  return {
    id,
    what: `raw mysql2 INSERT, ${batchSize} rows per statement`,
    value: rate,
    unit: 'rows/s',
    figure: `${formatInt(rate)} rows/s`,
    details: { rows, batchSize, seconds, cpuCores: cpu() },
  };
};
