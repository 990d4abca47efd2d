import { getConfig } from './config.js';
import { createDrizzleStore } from './db/activity-store.js';
import { createDatabase, type Database } from './db/client.js';
import type { ActivityStore, EventPublisher, HealthProbe } from './ports.js';
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

export const getHealthProbes = (): HealthProbe[] => [
  {
    name: 'rabbitmq',
    async check() {
      const { channel } = await getRabbit().getLink();
      await channel.checkQueue(getConfig().queueName);
    },
  },
  {
    name: 'mysql',
    async check() {
      await getDatabase().pool.query('SELECT 1');
    },
  },
];

/** Closes whatever was opened; used on shutdown and by tests. */
export const closeDependencies = async (): Promise<void> => {
  const [r, d] = [rabbit, database];
  rabbit = undefined;
  database = undefined;
  await Promise.allSettled([r?.close(), d?.pool.end()]);
};
