import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { migrateDatabase } from '../../lib/db/migrate.js';
import { assertTopology } from '../../lib/rabbitmq/topology.js';
import type { BenchConfig } from './bench-config.js';

export const BASELINE_TABLE = 'user_activities_baseline';

/** The run's broker connection and database session, for loading queues and reading what the service wrote. */
export interface BenchServices {
  broker: ChannelModel;
  channel: ConfirmChannel;
  db: Connection;
  queueDepth(): Promise<number>;
  countRows(table?: string): Promise<number>;
  close(): Promise<void>;
}

const openDatabase = async (url: string): Promise<Connection> => {
  const db = await createConnection({ uri: url, charset: 'utf8mb4', timezone: 'Z', dateStrings: true });
  // created_at is a TIMESTAMP, shown in the session time zone: keep UTC, as the service does.
  await db.query("SET time_zone = '+00:00'");
  return db;
};

/**
 * Migrates the run's database exactly as the service's does, adds B2's table from the same definition
 * (`CREATE TABLE … LIKE`), and declares the run's queue with the service's own topology.
 */
export const openServices = async (config: BenchConfig): Promise<BenchServices> => {
  await migrateDatabase(config.service);
  const db = await openDatabase(config.service.databaseUrl);
  await db.query(`CREATE TABLE \`${BASELINE_TABLE}\` LIKE \`user_activities\``);
  const broker = await connect(config.service.rabbitmqUrl, { clientProperties: { connection_name: 'bench' } });
  const channel = await broker.createConfirmChannel();
  await assertTopology(channel, config.service);
  return {
    broker,
    channel,
    db,
    async queueDepth() {
      return (await channel.checkQueue(config.service.queueName)).messageCount;
    },
    async countRows(table = 'user_activities') {
      const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      await broker.close().catch(() => undefined);
      await db.end().catch(() => undefined);
    },
  };
};

/** Deletes the run's queues and drops its database over fresh connections, so it works after any failure. */
export const removeRunData = async (config: BenchConfig, extraQueues: string[] = []): Promise<string[]> => {
  const problems: string[] = [];
  try {
    const broker = await connect(config.service.rabbitmqUrl);
    try {
      const channel = await broker.createChannel();
      for (const queue of [config.service.queueName, config.service.deadLetterQueueName, ...extraQueues]) {
        await channel.deleteQueue(queue);
      }
    } finally {
      await broker.close().catch(() => undefined);
    }
  } catch (error) {
    problems.push(`queues: ${(error as Error).message}`);
  }
  try {
    const server = new URL(config.service.databaseUrl);
    server.pathname = '/';
    const db = await createConnection({ uri: server.href });
    try {
      await db.query(`DROP DATABASE IF EXISTS \`${config.service.databaseName}\``);
    } finally {
      await db.end().catch(() => undefined);
    }
  } catch (error) {
    problems.push(`database: ${(error as Error).message}`);
  }
  return problems;
};
