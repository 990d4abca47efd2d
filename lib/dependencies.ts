import { getConfig, type Config } from './config.js';
import { createDrizzleReader } from './db/activity-reader.js';
import { createDrizzleStore } from './db/activity-store.js';
import { createDatabase, type Database } from './db/client.js';
import type { ActivityReader, ActivityStore, EventPublisher, HealthProbe } from './ports.js';
import { createConfirmChannelSource, type ConfirmChannelSource } from './rabbitmq/confirm-channel.js';
import { createRabbitPublisher } from './rabbitmq/publisher.js';

/**
 * Process-wide adapters, made on first use and kept across invocations (a warm Lambda or a serverless-offline
 * worker reuses them). Handlers receive them through their factories, so tests can pass others.
 */
let rabbit: ConfirmChannelSource | undefined;
let database: Database | undefined;

const getRabbit = () => (rabbit ??= createConfirmChannelSource(getConfig(), 'user-activity-track'));
const getDatabase = () => (database ??= createDatabase(getConfig()));

export const getPublisher = (): EventPublisher => createRabbitPublisher(getRabbit(), getConfig());

export const getActivityStore = (): ActivityStore => createDrizzleStore(getDatabase().db);

export const getActivityReader = (): ActivityReader => createDrizzleReader(getDatabase().db);

/** Probes for `GET /health`: the broker link with its queue, and a round trip to the database. */
export const createHealthProbes = (rabbitSource: ConfirmChannelSource, db: Database, config: Config): HealthProbe[] => [
  {
    name: 'rabbitmq',
    async check() {
      const { channel } = await rabbitSource.getLink();
      await channel.checkQueue(config.queueName);
    },
  },
  {
    name: 'mysql',
    async check() {
      await db.pool.query('SELECT 1');
    },
  },
];

export const getHealthProbes = (): HealthProbe[] => createHealthProbes(getRabbit(), getDatabase(), getConfig());

/** Closes whatever was opened; used on shutdown and by tests. */
export const closeDependencies = async (): Promise<void> => {
  const [r, d] = [rabbit, database];
  rabbit = undefined;
  database = undefined;
  await Promise.allSettled([r?.close(), d?.pool.end()]);
};
