import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import process from 'node:process';
import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../../lib/config.js';
import { accessWarnings } from '../../lib/http/access.js';
import { toolSettings } from '../../tools/env.js';
import { findRabbitMqMappings, type RabbitMqMapping } from './mappings.js';
import type { PollerLog } from './poller.js';
import { Runner } from './runner.js';
import type { RunnerFunction } from './runner-protocol.js';

const functionsOf = (mappings: RabbitMqMapping[]) => [...new Set(mappings.map((m) => m.functionKey))].join(', ');

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

/** The function of `mapping` as a runner runs it, and its environment: what serverless offline would give it. */
const runnerFunction = (serverless: Serverless, mapping: RabbitMqMapping) => {
  const { provider } = serverless.service;
  const definition = mapping.functionDefinition as unknown as FunctionDefinition;
  const memorySize = definition.memorySize ?? provider.memorySize ?? 1024;
  const region = provider.region ?? 'us-east-1';
  const fn: RunnerFunction = {
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
  return { fn, env };
};

/** Deals `items` out to `count` hands in turn (queue i to runner i mod count). */
const dealt = <T>(items: T[], count: number): T[][] =>
  Array.from({ length: count }, (_, hand) => items.filter((_, i) => i % count === hand));

/**
 * serverless-offline has no RabbitMQ event source. When `serverless offline start` runs, this plugin starts runner
 * processes (runner.ts) that poll the queue of every `rabbitmq` event in serverless.yml and run the function on each
 * batch, beside the HTTP server, none of it on its thread (issue 18); one runner per queue, at most one per core
 * (OFFLINE_PERSIST_RUNNERS), the queues dealt out among them. It stops them on Ctrl-C / SIGTERM, leaving what is
 * unacknowledged on the queues.
 */
export class OfflineRabbitMqPlugin {
  readonly hooks: Record<string, () => Promise<void>>;
  #runners: Runner[] = [];
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
    const settings = toolSettings();
    for (const functionKey of new Set(mappings.map((mapping) => mapping.functionKey))) {
      const queues = mappings.filter((mapping) => mapping.functionKey === functionKey);
      // One runner per queue by default (a queue has one invocation at a time), and no more than the machine's cores.
      const count = Math.min(queues.length, settings.offlinePersistRunners ?? availableParallelism());
      const { fn, env } = runnerFunction(this.serverless, queues[0] as RabbitMqMapping);
      for (const hand of dealt(queues, count)) {
        const spec = {
          fn,
          mappings: hand.map(({ arn, queue, virtualHost, batchSize, batchingWindowMs }) => ({
            arn,
            queue,
            virtualHost,
            batchSize,
            batchingWindowMs,
          })),
        };
        this.#runners.push(new Runner({ spec, env, maxOldSpaceMb: settings.offlineMaxOldSpaceMb, log: this.#log }));
      }
    }
    if (this.#runners.length === 0) return;
    await Promise.all(this.#runners.map((runner) => runner.start()));
    const pids = this.#runners.map((runner) => runner.pid);
    this.#log.info(`${pids.length} runner process(es) beside the HTTP server run ${functionsOf(mappings)}`, {
      runners: pids,
    });
  }

  async stop(): Promise<void> {
    if (this.#runners.length === 0) return;
    await Promise.all(this.#runners.map((runner) => runner.stop()));
    this.#runners = [];
    this.#log.info('pollers stopped; unacknowledged messages are back on their queues');
  }
}
