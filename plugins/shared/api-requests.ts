import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OfflineServerless {
  service: { custom?: { 'serverless-offline'?: { httpPort?: number | string; lambdaPort?: number | string } } };
}

/** What Node publishes on REQUEST_START. */
export interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  server: Server;
}

/** Published by Node's HTTP server for every request, before the server's own handler sees it. */
export const REQUEST_START = 'http.server.request.start';

// serverless-offline's default when neither custom.serverless-offline nor --httpPort gives one.
const DEFAULT_HTTP_PORT = 3000;

/**
 * The lifecycle hooks of a plugin that sees every request to serverless offline's HTTP API port (not its Lambda
 * invoke port) before serverless offline does: serverless offline exposes no hook into its HTTP server, but Node
 * publishes each request on a diagnostics channel. `onStart` runs once the service's variables are resolved.
 */
export const apiRequestHooks = (
  serverless: OfflineServerless,
  cliOptions: { httpPort?: number | string },
  onRequest: (request: IncomingMessage, response: ServerResponse) => void,
  onStart: () => void = () => undefined,
): Record<string, () => void> => {
  let port = DEFAULT_HTTP_PORT;
  // Whether a server is the API's, asked once per server: server.address() makes a system call every time.
  const isApi = new WeakMap<Server, boolean>();
  const listener = (message: unknown): void => {
    const { request, response, server } = message as RequestStart;
    let api = isApi.get(server);
    if (api === undefined) {
      api = (server.address() as AddressInfo | null)?.port === port;
      isApi.set(server, api);
    }
    if (api) onRequest(request, response);
  };
  const start = () => {
    port = Number(
      cliOptions.httpPort ?? serverless.service.custom?.['serverless-offline']?.httpPort ?? DEFAULT_HTTP_PORT,
    );
    onStart();
    subscribe(REQUEST_START, listener);
  };
  return {
    // `serverless offline start`, and plain `serverless offline`, which runs only this one lifecycle event.
    'offline:start': start,
    'offline:start:init': start,
    'offline:start:end': () => unsubscribe(REQUEST_START, listener),
  };
};
