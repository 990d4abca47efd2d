import type { Config } from '../../lib/config.js';
import type { Database } from '../../lib/db/client.js';
import type { HealthProbe } from '../../lib/ports.js';
import type { ConfirmChannelSource } from '../../lib/rabbitmq/confirm-channel.js';

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
