import { type ChannelModel, type ConfirmChannel, connect, type GetMessage } from 'amqplib';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import type { Config } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { assertTopology, queuePairs } from '../lib/rabbitmq/topology.js';

/**
 * A plain broker connection for the tooling: loading a run's queue (a confirm channel, so a publish can be waited
 * for), looking at what is on it, and cleaning up.
 */
export class Broker {
  private constructor(
    readonly connection: ChannelModel,
    readonly channel: ConfirmChannel,
  ) {}

  static async open(config: Config, connectionName = 'tooling'): Promise<Broker> {
    const connection = await connect(config.rabbitmqUrl, { clientProperties: { connection_name: connectionName } });
    return new Broker(connection, await connection.createConfirmChannel());
  }

  /** Declares `config`'s queue and dead-letter queue exactly as the service does. */
  async declare(config: Config): Promise<void> {
    await assertTopology(this.channel, config);
  }

  async get(queue: string): Promise<GetMessage | false> {
    return this.channel.get(queue, { noAck: true });
  }

  async drain(queue: string): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (let message = await this.get(queue); message; message = await this.get(queue)) messages.push(message);
    return messages;
  }

  /** checkQueue on a channel of its own: the broker closes a channel that asks about a missing queue. */
  async #checkQueue(queue: string): Promise<{ consumerCount: number } | undefined> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      const reply = await channel.checkQueue(queue);
      await channel.close();
      return reply;
    } catch {
      return undefined;
    }
  }

  async exists(queue: string): Promise<boolean> {
    return (await this.#checkQueue(queue)) !== undefined;
  }

  /** Consumers of a queue, or 0 when it does not exist (yet). */
  async consumers(queue: string): Promise<number> {
    return (await this.#checkQueue(queue))?.consumerCount ?? 0;
  }

  /** Messages ready on a queue. */
  async count(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /** Messages on all of `config`'s dead-letter queues (one per shard). */
  async deadLetterCount(config: Config): Promise<number> {
    let total = 0;
    for (const { deadLetterQueue } of queuePairs(config)) total += await this.count(deadLetterQueue);
    return total;
  }

  /** Consumers of each of `config`'s queues, in shard order. */
  async consumersOfEach(config: Config): Promise<number[]> {
    return Promise.all(queuePairs(config).map(({ queue }) => this.consumers(queue)));
  }

  /** Deletes every queue of `config` (each shard's and its dead-letter queue). */
  async deleteQueues(config: Config): Promise<void> {
    for (const { queue, deadLetterQueue } of queuePairs(config)) {
      await this.channel.deleteQueue(queue);
      await this.channel.deleteQueue(deadLetterQueue);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

const openConnection = async (url: string): Promise<Connection> => {
  const connection = await createConnection({ uri: url, charset: 'utf8mb4', timezone: 'Z', dateStrings: true });
  // created_at is a TIMESTAMP, shown in the session time zone: keep UTC, as the service does.
  await connection.query("SET time_zone = '+00:00'");
  return connection;
};

/** A migrated database of the run's own, with helpers to read what the service wrote. */
export class Database {
  private constructor(
    readonly connection: Connection,
    private readonly name: string,
  ) {}

  /** Migrates `config`'s database exactly as the service does (creating it if missing) and connects to it. */
  static async create(config: Config): Promise<Database> {
    await migrateDatabase(config);
    return new Database(await openConnection(config.databaseUrl), config.databaseName);
  }

  async rows<T = RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.connection.query<RowDataPacket[]>(sql, params);
    return rows as T[];
  }

  async countRows(table = 'user_activities'): Promise<number> {
    const [row] = await this.rows<{ n: number | string }>(`SELECT COUNT(*) AS n FROM \`${table}\``);
    return Number(row?.n ?? 0);
  }

  async drop(): Promise<void> {
    await this.connection.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    await this.connection.end();
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => undefined);
  }
}

/** Deletes a run's queues and drops its database over fresh connections, so it works after any failure. */
export const removeRunData = async (config: Config, extraQueues: string[] = []): Promise<string[]> => {
  const problems: string[] = [];
  try {
    const broker = await Broker.open(config, 'tooling-cleanup');
    try {
      const queues = queuePairs(config).flatMap((pair) => [pair.queue, pair.deadLetterQueue]);
      for (const queue of [...queues, ...extraQueues]) await broker.channel.deleteQueue(queue);
    } finally {
      await broker.close();
    }
  } catch (error) {
    problems.push(`queues: ${(error as Error).message}`);
  }
  try {
    const server = new URL(config.databaseUrl);
    server.pathname = '/';
    const connection = await createConnection({ uri: server.href });
    try {
      await connection.query(`DROP DATABASE IF EXISTS \`${config.databaseName}\``);
    } finally {
      await connection.end().catch(() => undefined);
    }
  } catch (error) {
    problems.push(`database: ${(error as Error).message}`);
  }
  return problems;
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` returns something truthy or the deadline passes (then returns the last value). */
export const eventually = async <T>(read: () => Promise<T>, timeoutMs = 5000, intervalMs = 25): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!value && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await read();
  }
  return value;
};
