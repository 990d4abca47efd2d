import { existsSync } from 'node:fs';
import process from 'node:process';
import { type Config, integer, parseConfig } from '../lib/config.js';
import { PERSIST_BATCH_SIZE } from '../lib/rabbitmq/event-source-limits.js';

/**
 * The one place the development tooling (scripts/, test/, bench/, plugins/) reads the environment. `.env` in the working
 * directory fills in what is unset, as `serverless offline` does through `useDotenv`; real variables always win.
 * The service itself never reads `.env`: `lib/config.ts` sees only its process environment.
 */
export const loadDotEnv = (): void => {
  if (existsSync('.env')) process.loadEnvFile('.env');
};

// Loaded on first use, not on import: the unit tests import this file's parsers and must not see a `.env`.
let loaded = false;
const environment = (): NodeJS.ProcessEnv => {
  if (!loaded) loadDotEnv();
  loaded = true;
  return process.env;
};

/** The environment as the tooling sees it (a copy: changing it changes nothing). */
export const toolEnv = (): Record<string, string | undefined> => ({ ...environment() });

/** The service's configuration as `npm start` would run it from this directory. */
export const serviceConfig = (overrides: Record<string, string> = {}): Config =>
  parseConfig({ ...environment(), ...overrides });

/** Settings of the tooling only; the service never reads them. */
export interface ToolSettings {
  /**
   * V8 old-space bound (MiB) for the local `serverless offline` process. Without one, V8 on a large machine lets the
   * heap grow by hundreds of MB before collecting; Lambda bounds it by the function's memory.
   */
  offlineMaxOldSpaceMb: number;
  /**
   * OFFLINE_PERSIST_RUNNERS: how many processes run persist's batches beside the local HTTP server; by default one per
   * consumed queue, no more than the machine's cores.
   */
  offlinePersistRunners?: number;
  /**
   * OFFLINE_LAMBDA_PORT: where serverless offline's Lambda invoke endpoint listens, guarded (plugins/offline-gateway);
   * undefined, the default, keeps it closed. The HTTP API is all AWS exposes, so nothing here needs the endpoint.
   */
  offlineLambdaPort: number | undefined;
  /** Messages per persist invocation, as serverless.yml reads it for the local poller. */
  persistBatchSize: number;
  /** True in CI, where a check that needs a tool CI installs must not be skipped. */
  ci: boolean;
  bench: {
    /** BENCH_QUICK=1: a plan about ten times smaller, to check the harness itself. */
    quick: boolean;
    /** BENCH_CPU_PROF=1: V8 CPU profiles of the serverless offline processes. */
    cpuProfile: boolean;
    /** BENCH_OFFLINE_ARGS: extra `serverless offline start` flags for B0 and the service, to try a setting. */
    offlineArgs: string[];
  };
}

export const parseToolSettings = (env: Record<string, string | undefined>): ToolSettings => ({
  offlineMaxOldSpaceMb: integer(env, 'OFFLINE_MAX_OLD_SPACE_MB', 256, 64, 16 * 1024),
  ...(env.OFFLINE_PERSIST_RUNNERS?.trim()
    ? { offlinePersistRunners: integer(env, 'OFFLINE_PERSIST_RUNNERS', 1, 1, 64) }
    : {}),
  // Unset or empty gives the fallback, 0, which no valid port is: closed.
  offlineLambdaPort: integer(env, 'OFFLINE_LAMBDA_PORT', 0, 1, 65_535) || undefined,
  persistBatchSize: integer(
    env,
    'PERSIST_BATCH_SIZE',
    PERSIST_BATCH_SIZE.fallback,
    PERSIST_BATCH_SIZE.min,
    PERSIST_BATCH_SIZE.max,
  ),
  ci: Boolean(env.CI?.trim()),
  bench: {
    quick: env.BENCH_QUICK === '1',
    cpuProfile: env.BENCH_CPU_PROF === '1',
    offlineArgs: (env.BENCH_OFFLINE_ARGS ?? '').split(/\s+/).filter(Boolean),
  },
});

let settings: ToolSettings | undefined;

export const toolSettings = (): ToolSettings => (settings ??= parseToolSettings(environment()));

/** Node flags for a local `serverless offline` process (npm start, the tests and the bench run it alike). */
export const offlineNodeArgs = (
  { offlineMaxOldSpaceMb }: Pick<ToolSettings, 'offlineMaxOldSpaceMb'> = toolSettings(),
): string[] => [`--max-old-space-size=${offlineMaxOldSpaceMb}`];
