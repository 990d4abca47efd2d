import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import process from 'node:process';
import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../../lib/config.js';
import { parseToolSettings, toolSettings } from '../../tools/env.js';
import {
  apiRequestHooks,
  type OfflineServerless,
  oncePerServer,
  REQUEST_START,
  type RequestStart,
} from '../shared/api-requests.js';
import { keepContentTypeAbsent } from './event-content-type.js';
import { toGatewayRawHeaders } from './gateway-headers.js';
import {
  createInvokeEndpoint,
  endpointRefusal,
  guardServer,
  type InvokeEndpoint,
  isInvokeServer,
  lambdaPortOf,
  removeInvokeEndpoint,
} from './invoke-endpoint.js';

interface Serverless extends OfflineServerless {
  serviceDir?: string;
}

interface CliOptions {
  httpPort?: number | string;
  lambdaPort?: number | string;
}

/**
 * hapi reads the headers Node parsed; serverless offline builds the event from the raw ones, which become API
 * Gateway's (toGatewayRawHeaders). Node parses lazily from the raw list it counted, so the parsed ones are taken
 * first and kept.
 */
const shapeApiRequest = (request: IncomingMessage): void => {
  const parsed = request.headers;
  request.rawHeaders = toGatewayRawHeaders(request.rawHeaders);
  request.headers = parsed;
};

/**
 * Only the HTTP API is reachable, as on AWS (issue 18). serverless offline also serves a Lambda invoke endpoint that
 * runs any function with no key for any caller, a web page included: this plugin keeps it closed unless
 * OFFLINE_LAMBDA_PORT (or --lambdaPort) opens it, and then refuses all but the AWS SDK or CLI on this machine
 * (invoke-guard.ts). And it gives the functions each request's headers as API Gateway's HTTP API does: duplicates
 * joined with commas, and no Content-Type when the client sent none.
 */
export class OfflineGatewayPlugin {
  readonly hooks: Record<string, () => void | Promise<void>>;
  #endpoint?: InvokeEndpoint;

  constructor(
    private readonly serverless: Serverless,
    private readonly cliOptions: CliOptions,
  ) {
    const api = apiRequestHooks(serverless, cliOptions, shapeApiRequest);
    const start = async (hook: string) => {
      await keepContentTypeAbsent(serverless.serviceDir ?? process.cwd());
      this.#openInvokeEndpoint();
      api[hook]?.();
    };
    this.hooks = {
      'offline:start': () => start('offline:start'),
      'offline:start:init': () => start('offline:start:init'),
      'offline:start:end': () => api['offline:start:end']?.(),
    };
  }

  /** Sets serverless offline's lambdaPort (its own init reads it next) and guards the server that listens there. */
  #openInvokeEndpoint(): void {
    const { cliOptions } = this;
    const port =
      cliOptions.lambdaPort === undefined
        ? toolSettings().offlineLambdaPort
        : parseToolSettings({ OFFLINE_LAMBDA_PORT: String(cliOptions.lambdaPort) }).offlineLambdaPort;
    const endpoint = createInvokeEndpoint(port);
    this.#endpoint = endpoint;
    const { service } = this.serverless;
    const custom = service.custom ?? {};
    service.custom = custom;
    custom['serverless-offline'] = { ...custom['serverless-offline'], lambdaPort: lambdaPortOf(endpoint) };
    // A command-line option wins over custom in serverless offline.
    if (cliOptions.lambdaPort !== undefined) cliOptions.lambdaPort = lambdaPortOf(endpoint);
    // Guarded until the process ends: the guard is put in place by the server's first request, whenever that comes.
    subscribe(REQUEST_START, this.#guardInvokeServer);
    process.once('exit', () => removeInvokeEndpoint(endpoint));
    const logger = new Logger({ serviceName: 'offline-gateway', logLevel: getConfig().logLevel });
    if (endpoint.open)
      logger.warn(`Lambda invoke endpoint open on port ${endpoint.port} for the AWS SDK or CLI on this machine only`);
    else logger.info('Lambda invoke endpoint closed: only the HTTP API is reachable (OFFLINE_LAMBDA_PORT opens it)');
  }

  // Asked for every request on any server of the process, API included.
  readonly #isInvokeServer = oncePerServer(
    (server) => this.#endpoint !== undefined && isInvokeServer(this.#endpoint, server),
  );

  readonly #guardInvokeServer = (message: unknown): void => {
    const endpoint = this.#endpoint;
    const { server } = message as RequestStart;
    if (endpoint && this.#isInvokeServer(server)) guardServer(server, (request) => endpointRefusal(endpoint, request));
  };
}
