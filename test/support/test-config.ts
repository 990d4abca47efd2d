import { randomBytes } from 'node:crypto';
import process from 'node:process';
import { parseConfig, type Config } from '../../lib/config.js';

export const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;

/**
 * A config like the service's (same broker and database server, from the environment or the defaults) but with a
 * queue and a database of the test's own, so test files never see each other's messages or rows.
 */
export const testConfig = (name: string, overrides: Record<string, string> = {}): Config => {
  const base = parseConfig(process.env);
  const database = new URL(base.databaseUrl);
  database.pathname = `/${uniqueName(`uat_${name}`)}`;
  return parseConfig({
    ...process.env,
    DATABASE_URL: database.href,
    RABBITMQ_QUEUE: uniqueName(`test_${name}`),
    ...overrides,
  });
};

/** The environment that makes a child process (serverless offline) use `config`. */
export const configEnv = (config: Config): Record<string, string> => ({
  RABBITMQ_URL: config.rabbitmqUrl,
  RABBITMQ_QUEUE: config.queueName,
  DATABASE_URL: config.databaseUrl,
});

/** The configured database server's URL with another database, e.g. `information_schema`, which always exists. */
export const databaseUrlFor = (database: string): string => {
  const url = new URL(parseConfig(process.env).databaseUrl);
  url.pathname = `/${database}`;
  return url.href;
};
