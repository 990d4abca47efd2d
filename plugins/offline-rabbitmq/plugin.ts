import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../../lib/config.js';
import { accessWarnings } from '../../lib/http/access.js';
import { findRabbitMqMappings } from './mappings.js';
import { type PollerLog, RabbitMqPoller } from './poller.js';

interface Serverless {
  service: Parameters<typeof findRabbitMqMappings>[0] & { custom?: Record<string, unknown> };
}

interface OfflineLambda {
  create(lambdas: Array<{ functionKey: string; functionDefinition: unknown }>): void;
  get(functionKey: string): { setEvent(event: unknown): void; runHandler(): Promise<unknown> };
  cleanup(): Promise<void>;
}

// serverless-offline's own defaults for the options its Lambda runner reads (it does not export them).
const OFFLINE_DEFAULTS = {
  localEnvironment: false,
  noTimeout: false,
  reloadHandler: false,
  terminateIdleLambdaTime: 60,
  useDocker: false,
  useInProcess: false,
  layersDir: null,
  localLayers: {},
};

/**
 * serverless-offline has no RabbitMQ event source. This plugin starts a poller for every `rabbitmq` event in
 * serverless.yml when `serverless offline start` runs, invokes the function through serverless-offline's own
 * Lambda runner (the same bundle and worker threads the HTTP routes use) and stops them on Ctrl-C / SIGTERM.
 */
export class OfflineRabbitMqPlugin {
  readonly hooks: Record<string, () => Promise<void>>;
  #pollers: RabbitMqPoller[] = [];
  #lambda?: OfflineLambda;
  readonly #log: PollerLog;

  #logger?: Logger;

  constructor(
    private readonly serverless: Serverless,
    private readonly cliOptions: Record<string, unknown>,
  ) {
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
    const { default: Lambda } = (await import('serverless-offline/lambda')) as {
      default: new (serverless: unknown, options: unknown) => OfflineLambda;
    };
    // Read at init time: serverless-esbuild sets `location` (the bundle folder) just before.
    const offlineOptions = this.serverless.service.custom?.['serverless-offline'] ?? {};
    const lambda = new Lambda(this.serverless, { ...OFFLINE_DEFAULTS, ...offlineOptions, ...this.cliOptions });
    this.#lambda = lambda;
    lambda.create(mappings);
    for (const mapping of mappings) {
      const poller = new RabbitMqPoller({
        mapping,
        config,
        log: this.#log,
        invoke: async (event) => {
          const fn = lambda.get(mapping.functionKey);
          fn.setEvent(event);
          return fn.runHandler();
        },
      });
      await poller.start();
      this.#pollers.push(poller);
    }
  }

  async stop(): Promise<void> {
    if (this.#pollers.length === 0) return;
    await Promise.all(this.#pollers.map((poller) => poller.stop()));
    this.#pollers = [];
    await this.#lambda?.cleanup();
    this.#log.info('pollers stopped; unacknowledged messages are back on their queues');
  }
}
