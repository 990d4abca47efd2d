import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import process from 'node:process';
import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../../lib/config.js';
import { accessWarnings } from '../../lib/http/access.js';
import { toolSettings } from '../../tools/env.js';
import { findRabbitMqMappings, type RabbitMqMapping } from './mappings.js';
import { type PollerLog, RabbitMqPoller } from './poller.js';
import { RunnerPool } from './runner.js';
import type { RunnerSpec } from './runner-protocol.js';

interface Serverless {
  service: Parameters<typeof findRabbitMqMappings>[0] & {
    custom?: { 'serverless-offline'?: { location?: string } };
    provider: { region?: string; timeout?: number; memorySize?: number; environment?: Record<string, unknown> };
  };
  config: { servicePath: string };
}

interface FunctionDefinition {
  name: string;
  handler: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, unknown>;
}

const strings = (values: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

/** What a runner of `mapping`'s function runs, and its environment: what serverless offline would give the function. */
const runnerOptions = (serverless: Serverless, mapping: RabbitMqMapping) => {
  const { provider } = serverless.service;
  const definition = mapping.functionDefinition as unknown as FunctionDefinition;
  const memorySize = definition.memorySize ?? provider.memorySize ?? 1024;
  const region = provider.region ?? 'us-east-1';
  const spec: RunnerSpec = {
    functionKey: mapping.functionKey,
    functionName: definition.name,
    handler: definition.handler,
    // Where serverless offline loads the functions from: the local build (plugins/offline-build), or the sources.
    servicePath: resolve(
      serverless.config.servicePath,
      serverless.service.custom?.['serverless-offline']?.location ?? '',
    ),
    timeoutMs: (definition.timeout ?? provider.timeout ?? 6) * 1000,
    memorySize,
  };
  const env = {
    ...process.env,
    _HANDLER: definition.handler,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
    AWS_LAMBDA_FUNCTION_NAME: definition.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    ...strings(provider.environment),
    ...strings(definition.environment),
    IS_OFFLINE: 'true',
  };
  return { spec, env };
};

/**
 * serverless-offline has no RabbitMQ event source. This plugin starts a poller for every `rabbitmq` event in
 * serverless.yml when `serverless offline start` runs, hands each batch to a runner process of the function
 * (runner.ts), beside the HTTP server rather than on its thread (issue 18), and stops them on Ctrl-C / SIGTERM,
 * leaving what is unacknowledged on the queues.
 */
export class OfflineRabbitMqPlugin {
  readonly hooks: Record<string, () => Promise<void>>;
  #pollers: RabbitMqPoller[] = [];
  #pools: RunnerPool[] = [];
  readonly #log: PollerLog;

  #logger?: Logger;

  constructor(private readonly serverless: Serverless) {
    // JSON lines like the functions'; made on first use, since osls constructs plugins for every command.
    const logger = () => {
      this.#logger ??= new Logger({ serviceName: 'offline-rabbitmq', logLevel: getConfig().logLevel });
      return this.#logger;
    };
    this.#log = {
      info: (message, attributes = {}) => logger().info(message, attributes),
      warn: (message, attributes = {}) => logger().warn(message, attributes),
    };
    this.hooks = {
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
    };
  }

  async start(): Promise<void> {
    const config = getConfig();
    for (const warning of accessWarnings(config)) this.#log.warn(warning);
    const mappings = findRabbitMqMappings(this.serverless.service).filter((mapping) => mapping.enabled);
    if (mappings.length === 0) return;
    const settings = toolSettings();
    // One runner per queue by default (a queue has one invocation at a time), and no more than the machine's cores.
    const size = settings.offlinePersistRunners ?? Math.min(mappings.length, availableParallelism());
    const pools = new Map<string, RunnerPool>();
    for (const mapping of mappings) {
      let pool = pools.get(mapping.functionKey);
      if (!pool) {
        pool = new RunnerPool(size, {
          ...runnerOptions(this.serverless, mapping),
          maxOldSpaceMb: settings.offlineMaxOldSpaceMb,
          log: this.#log,
        });
        await pool.warm();
        pools.set(mapping.functionKey, pool);
      }
      const runners = pool;
      const poller = new RabbitMqPoller({ mapping, config, log: this.#log, invoke: (event) => runners.invoke(event) });
      await poller.start();
      this.#pollers.push(poller);
    }
    this.#pools = [...pools.values()];
    const pids = this.#pools.flatMap((pool) => pool.pids);
    this.#log.info(`persist runs in ${pids.length} runner process(es) beside the HTTP server`, { runners: pids });
  }

  async stop(): Promise<void> {
    if (this.#pollers.length === 0) return;
    await Promise.all(this.#pollers.map((poller) => poller.stop()));
    this.#pollers = [];
    await Promise.all(this.#pools.map((pool) => pool.close()));
    this.#pools = [];
    this.#log.info('pollers stopped; unacknowledged messages are back on their queues');
  }
}
