import { randomBytes } from 'node:crypto';
import process from 'node:process';
import type { Config } from '../lib/config.js';
import { serviceConfig } from './env.js';

/** A name no other run uses at the same time: `<prefix>_<pid>_<6 hex digits>`. */
export const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;

/**
 * The service's configuration (same broker and database server) with a queue and a database of the run's own, so
 * test files and bench runs never see each other's messages or rows and can drop everything afterwards.
 */
export const runConfig = (name: string, overrides: Record<string, string> = {}): Config => {
  const database = new URL(serviceConfig().databaseUrl);
  database.pathname = `/${uniqueName(`uat_${name}`)}`;
  // For persist too: a PERSIST_DATABASE_URL in `.env` would name the shared database, not the run's.
  return serviceConfig({
    DATABASE_URL: database.href,
    PERSIST_DATABASE_URL: '',
    RABBITMQ_QUEUE: uniqueName(`run_${name}`),
    ...overrides,
  });
};

/** The environment that makes a child process (serverless offline) use `config`. */
export const runEnv = (config: Config): Record<string, string> => ({
  RABBITMQ_URL: config.rabbitmqUrl,
  RABBITMQ_QUEUE: config.queueName,
  DATABASE_URL: config.databaseUrl,
  PERSIST_DATABASE_URL: config.persistDatabaseUrl,
  RABBITMQ_SHARDS: String(config.rabbitmqShards),
  RABBITMQ_CONSUMED_SHARDS: String(config.consumedShards),
  // Required once a test or bench run sets API keys; the run's own value otherwise changes nothing.
  PRIVACY_HASH_KEY: config.privacyHashKey,
});

/** The configured database server's URL with another database, e.g. `information_schema`, which always exists. */
export const databaseUrlFor = (database: string): string => {
  const url = new URL(serviceConfig().databaseUrl);
  url.pathname = `/${database}`;
  return url.href;
};
