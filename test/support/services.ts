import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import type { Config } from '../../lib/config.js';
import { migrateDatabase } from '../../lib/db/migrate.js';

/** A plain broker connection for looking at (and cleaning up) a test's queues. */
export class TestBroker {
  private constructor(private readonly connection: ChannelModel, readonly channel: Channel) {}

  static async open(config: Config): Promise<TestBroker> {
    const connection = await connect(config.rabbitmqUrl);
    return new TestBroker(connection, await connection.createChannel());
  }

  async get(queue: string): Promise<GetMessage | false> {
    return this.channel.get(queue, { noAck: true });
  }

  async drain(queue: string): Promise<GetMessage[]> {
    const messages: GetMessage[] = [];
    for (let message = await this.get(queue); message; message = await this.get(queue)) messages.push(message);
    return messages;
  }

  /** checkQueue on a channel of its own (the broker closes a channel that asks about a missing queue). */
  async #inspect(queue: string): Promise<{ consumerCount: number } | undefined> {
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
    return (await this.#inspect(queue)) !== undefined;
  }

  /** Consumers of a queue, or 0 when it does not exist (yet). */
  async consumers(queue: string): Promise<number> {
    return (await this.#inspect(queue))?.consumerCount ?? 0;
  }

  async count(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  async deleteQueues(config: Config): Promise<void> {
    await this.channel.deleteQueue(config.queueName);
    await this.channel.deleteQueue(config.deadLetterQueueName);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/** A migrated database of the test's own, with helpers to read what the service wrote. */
export class TestDatabase {
  private constructor(private readonly connection: Connection, private readonly name: string) {}

  static async create(config: Config): Promise<TestDatabase> {
    await migrateDatabase(config);
    const connection = await createConnection({ uri: config.databaseUrl, timezone: 'Z', dateStrings: true });
    return new TestDatabase(connection, config.databaseName);
  }

  async rows<T = RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await this.connection.query<RowDataPacket[]>(sql, params);
    return rows as T[];
  }

  async drop(): Promise<void> {
    await this.connection.query(`DROP DATABASE IF EXISTS \`${this.name}\``);
    await this.connection.end();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `read` returns something truthy or the deadline passes (then returns the last value). */
export const eventually = async <T>(read: () => Promise<T>, timeoutMs = 5000, intervalMs = 25): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!value && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
};
