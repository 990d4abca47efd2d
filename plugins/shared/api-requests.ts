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

/**
 * `isIt` asked once per server, then remembered: for the plugins that look at every request's server, since
 * server.address() makes a system call each time and a server keeps its address.
 */
export const oncePerServer = (isIt: (server: Server) => boolean): ((server: Server) => boolean) => {
  const seen = new WeakMap<Server, boolean>();
  return (server) => {
    let known = seen.get(server);
    if (known === undefined) {
      known = isIt(server);
      seen.set(server, known);
    }
    return known;
  };
};

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
  const isApi = oncePerServer((server) => (server.address() as AddressInfo | null)?.port === port);
  const listener = (message: unknown): void => {
    const { request, response, server } = message as RequestStart;
    if (isApi(server)) onRequest(request, response);
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
