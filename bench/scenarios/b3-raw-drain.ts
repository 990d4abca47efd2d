import { performance } from 'node:perf_hooks';
import { type ConsumeMessage, connect } from 'amqplib';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { formatCpu, startCpuMeter } from '../support/cpu-meter.js';
import { formatInt } from '../support/figures.js';
import type { Bench } from '../types.js';
import { publishWindowed } from './b1-amqp-publish.js';
import { BASELINE_INSERT, BASELINE_TABLE, baselineRow } from './b2-mysql-insert.js';

/** A batch goes when it is full, or when nothing more has arrived for this long (the end of the backlog). */
const IDLE_FLUSH_MS = 50;

/**
 * B3: the drain's ceiling on this machine. `plan.drainMessages` messages published as B1 publishes them, then one
 * plain amqplib consumer (manual acks, a prefetch of two batches, as the poller) that parses each batch of
 * `plan.batchSize`, inserts it with one mysql2 statement (B2's) and acks it with one frame, one batch at a time:
 * what P3 does without serverless offline, Lambda's event or persist's checks. The queue is left empty.
 */
export const measureRawDrain = async ({ broker, config, database, log }: Bench): Promise<void> => {
  const id = 'B3';
  const count = plan.drainMessages;
  await broker.channel.purgeQueue(config.queueName);
  await publishWindowed(broker.channel, () => config.queueName, id, count, plan.publishWindow);
  const db = database.connection;
  await db.query(`CREATE TABLE IF NOT EXISTS \`${BASELINE_TABLE}\` LIKE \`user_activities\``);
  await db.query(`TRUNCATE TABLE \`${BASELINE_TABLE}\``);

  const connection = await connect(config.rabbitmqUrl, { clientProperties: { connection_name: 'bench:B3' } });
  const channel = await connection.createChannel();
  await channel.prefetch(plan.batchSize * 2);
  const cpu = startCpuMeter();
  const begun = performance.now();
  let [done, busy] = [0, false];
  let buffer: ConsumeMessage[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  const finished = {} as { promise: Promise<void>; resolve(): void; reject(error: unknown): void };
  finished.promise = new Promise<void>((resolve, reject) => Object.assign(finished, { resolve, reject }));

  const flush = async () => {
    if (busy || buffer.length === 0) return;
    busy = true;
    const batch = buffer.slice(0, plan.batchSize);
    buffer = buffer.slice(batch.length);
    try {
      const rows = batch.map((message) => baselineRow(JSON.parse(message.content.toString()) as ActivityMessage));
      await db.query(BASELINE_INSERT, [rows]);
      channel.ack(batch[batch.length - 1] as ConsumeMessage, true);
      done += batch.length;
      if (done % 25_000 < batch.length) progress(`  ${id}: ${formatInt(done)}/${formatInt(count)} rows`);
      if (done >= count) finished.resolve();
    } catch (error) {
      finished.reject(error);
    } finally {
      busy = false;
    }
    if (buffer.length >= plan.batchSize) void flush();
  };
  await channel.consume(config.queueName, (message) => {
    if (!message) return;
    buffer.push(message);
    clearTimeout(idleTimer);
    if (buffer.length >= plan.batchSize) void flush();
    else idleTimer = setTimeout(() => void flush(), IDLE_FLUSH_MS);
  });
  try {
    await finished.promise;
  } finally {
    clearTimeout(idleTimer);
    await channel.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
  const seconds = (performance.now() - begun) / 1000;
  const rate = count / seconds;
  const cpuCores = cpu();
  progress(`  ${id}: CPU cores used: ${formatCpu(cpuCores)}`);
  const what = `raw amqplib consumer + mysql2 INSERT of ${plan.batchSize}, one batch at a time`;
  const details = { messages: count, batchSize: plan.batchSize, seconds, cpuCores };
  log.add({
    id,
    what,
    value: rate,
    unit: 'rows/s',
    figure: `${formatInt(rate)} rows/s (${seconds.toFixed(1)} s)`,
    details,
  });
};
