import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../lib/config.js';
import { OfflineProcess } from '../../tools/offline.js';
import { runConfig, runEnv } from '../../tools/run-config.js';
import { Broker, Database } from '../../tools/services.js';

export interface ServiceStack {
  config: Config;
  database: Database;
  broker: Broker;
}

export interface OfflineStack extends ServiceStack {
  offline: OfflineProcess;
}

/**
 * In a `describe`: a migrated database and the declared queues of the test's own (`overrides` changes the run's
 * configuration, e.g. RABBITMQ_SHARDS), made before its tests and removed after them.
 */
export const useServiceStack = (name: string, overrides: Record<string, string> = {}): ServiceStack => {
  const stack = { config: runConfig(name, overrides) } as ServiceStack;
  beforeAll(async () => {
    stack.database = await Database.create(stack.config);
    stack.broker = await Broker.open(stack.config);
    await stack.broker.declare(stack.config);
  });
  afterAll(async () => {
    await stack.broker?.deleteQueues(stack.config).catch(() => undefined);
    await stack.broker?.close();
    await stack.database?.drop();
  });
  return stack;
};

/** The same, with the real `serverless offline start` on them; `env` adds variables for it only (e.g. API_KEYS). */
export const useOfflineStack = (
  name: string,
  { config = {}, env = {} }: { config?: Record<string, string>; env?: Record<string, string> } = {},
): OfflineStack => {
  const stack = useServiceStack(name, config) as OfflineStack;
  beforeAll(async () => {
    stack.offline = await OfflineProcess.start({ env: { ...runEnv(stack.config), ...env } });
  });
  // Registered after the services' afterAll, so it runs before it: the process stops before its queues go.
  afterAll(async () => {
    await stack.offline?.stop('SIGTERM');
  });
  return stack;
};
