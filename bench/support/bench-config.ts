import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { parseConfig, type Config } from '../../lib/config.js';

export interface BenchConfig {
  /** The service's config with the bench run's own queue and database on the same servers. */
  service: Config;
  /** Messages per persist invocation, as serverless.yml reads it for the poller. */
  batchSize: number;
}

/**
 * Reads the environment as the service does (`.env` fills in what is unset) and gives the run a queue and a
 * database of its own, so it never touches the application's data and can drop everything afterwards.
 */
export const benchConfig = (): BenchConfig => {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const base = parseConfig(process.env);
  const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const database = new URL(base.databaseUrl);
  database.pathname = `/bench_${suffix}`;
  const service = parseConfig({ ...process.env, DATABASE_URL: database.href, RABBITMQ_QUEUE: `bench_${suffix}` });
  return { service, batchSize: Number(process.env.PERSIST_BATCH_SIZE || 100) };
};

/** The environment that points a `serverless offline` child at the bench's queue and database. */
export const serviceEnv = (config: BenchConfig): Record<string, string> => ({
  RABBITMQ_URL: config.service.rabbitmqUrl,
  RABBITMQ_QUEUE: config.service.queueName,
  DATABASE_URL: config.service.databaseUrl,
  PERSIST_BATCH_SIZE: String(config.batchSize),
  // Writes stay open (no API key) whatever a local .env says, so every request measures the same path.
  API_KEYS: '',
});
