import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiGatewayCors, type HttpApiCors } from './api-gateway-cors.js';

interface Serverless {
  service: {
    provider: { httpApi?: { cors?: HttpApiCors | null } };
    custom?: { 'serverless-offline'?: { httpPort?: number | string } };
  };
}

/** Published by Node's HTTP server for every request, before the server's own handler sees it. */
const REQUEST_START = 'http.server.request.start';

// serverless-offline's default when neither custom.serverless-offline nor --httpPort gives one.
const DEFAULT_HTTP_PORT = 3000;

/**
 * serverless offline's CORS is not API Gateway's: without provider.httpApi.cors it answers a preflight from any origin
 * 200 with `access-control-allow-credentials: true` and echoes any Origin on every answer; with it, it still echoes
 * an origin that is not allowed on the answer of a POST or GET. It exposes no setting for "no CORS" and not its HTTP
 * server, so this plugin rewrites the access-control-* headers (and a preflight's status) of every answer of the
 * API's port just before they are written, from the same provider.httpApi.cors that becomes the template's
 * CorsConfiguration (api-gateway-cors.ts says what API Gateway does).
 */
export class OfflineCorsPlugin {
  readonly hooks: Record<string, () => void>;
  #cors: HttpApiCors | null = null;
  #port = DEFAULT_HTTP_PORT;

  constructor(
    private readonly serverless: Serverless,
    private readonly cliOptions: { httpPort?: number | string },
  ) {
    this.hooks = {
      // `serverless offline start`, and plain `serverless offline`, which runs only this one lifecycle event.
      'offline:start': () => this.start(),
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
    };
  }

  start(): void {
    const { provider, custom } = this.serverless.service;
    this.#cors = provider.httpApi?.cors ?? null;
    this.#port = Number(this.cliOptions.httpPort ?? custom?.['serverless-offline']?.httpPort ?? DEFAULT_HTTP_PORT);
    subscribe(REQUEST_START, this.#onRequest);
  }

  stop(): void {
    unsubscribe(REQUEST_START, this.#onRequest);
  }

  readonly #onRequest = (message: unknown): void => {
    const { request, response, server } = message as {
      request: IncomingMessage;
      response: ServerResponse;
      server: Server;
    };
    // Other servers of the process (serverless-offline's Lambda invoke endpoint) are not the HTTP API.
    if ((server.address() as AddressInfo | null)?.port !== this.#port) return;
    const cors = this.#cors;
    const writeHead = response.writeHead;
    // hapi sets every header with setHeader, then calls writeHead(statusCode) (Node calls it too for an implicit head).
    response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      const answer = apiGatewayCors(request, cors);
      for (const name of this.getHeaderNames()) if (name.startsWith('access-control-')) this.removeHeader(name);
      for (const [name, value] of Object.entries(answer.headers)) this.setHeader(name, value);
      if (answer.status !== undefined) {
        args[0] = answer.status;
        // A 204 has no body; Node drops what the route would have written, and its length must go with it.
        if (answer.status === 204) for (const name of ['content-length', 'content-type']) this.removeHeader(name);
      }
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
  };
}
