import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invokeRefusal } from './invoke-guard.js';

/**
 * serverless offline's Lambda invoke endpoint as this plugin sets it up. serverless offline always starts it, with no
 * setting to leave it out, so closed means it listens on a Unix socket in a folder only this user can open (no TCP
 * port at all) and refuses every request there; open means a TCP port, guarded by invokeRefusal.
 */
export type InvokeEndpoint = { open: false; folder: string; socketPath: string } | { open: true; port: number };

const CLOSED_MESSAGE = 'the Lambda invoke endpoint is closed: only the HTTP API is reachable, as on AWS';

/** The endpoint for OFFLINE_LAMBDA_PORT (or --lambdaPort): closed unless a port is given. */
export const createInvokeEndpoint = (port: number | undefined): InvokeEndpoint => {
  if (port !== undefined) return { open: true, port };
  // mkdtemp makes the folder with mode 0700.
  const folder = mkdtempSync(join(tmpdir(), 'offline-lambda-'));
  return { open: false, folder, socketPath: join(folder, 'invoke.sock') };
};

/** serverless offline's `lambdaPort`: the TCP port, or the socket's path (hapi listens on a path for a string with a /). */
export const lambdaPortOf = (endpoint: InvokeEndpoint): number | string =>
  endpoint.open ? endpoint.port : endpoint.socketPath;

/** Whether `server` is the endpoint's (its address is the socket, or the port). */
export const isInvokeServer = (endpoint: InvokeEndpoint, server: Server): boolean => {
  const address = server.address() as AddressInfo | string | null;
  return endpoint.open
    ? typeof address === 'object' && address?.port === endpoint.port
    : address === endpoint.socketPath;
};

/** Why the endpoint refuses `request`, if it does. */
export const endpointRefusal = (endpoint: InvokeEndpoint, request: IncomingMessage): string | undefined =>
  endpoint.open
    ? invokeRefusal({ rawHeaders: request.rawHeaders, remoteAddress: request.socket.remoteAddress })
    : CLOSED_MESSAGE;

export const removeInvokeEndpoint = (endpoint: InvokeEndpoint): void => {
  if (!endpoint.open) rmSync(endpoint.folder, { recursive: true, force: true });
};

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

// Node emits one of these for each request; hapi listens to `request` and `checkContinue` (Expect: 100-continue).
const REQUEST_EVENTS = ['request', 'checkContinue', 'checkExpectation'] as const;
const guarded = new WeakSet<Server>();

/** 403 in the shape of a Lambda API error, so the AWS SDK reports AccessDeniedException; no CORS header. */
const refuse = (request: IncomingMessage, response: ServerResponse, message: string): void => {
  request.resume();
  response.writeHead(403, {
    'content-type': 'application/json',
    'x-amzn-errortype': 'AccessDeniedException',
    connection: 'close',
  });
  response.end(JSON.stringify({ Type: 'User', message }));
};

/**
 * Puts `refusal` in front of the server's own request listeners (hapi's), once per server. Node publishes a request on
 * the diagnostics channel before it emits it, so guarding on the first request's publication already covers that one.
 */
export const guardServer = (server: Server, refusal: (request: IncomingMessage) => string | undefined): void => {
  if (guarded.has(server)) return;
  guarded.add(server);
  for (const event of REQUEST_EVENTS) {
    const listeners = server.listeners(event) as RequestListener[];
    if (listeners.length === 0) continue;
    server.removeAllListeners(event);
    server.on(event, (request: IncomingMessage, response: ServerResponse) => {
      const reason = refusal(request);
      if (reason !== undefined) refuse(request, response, reason);
      else for (const listener of listeners) listener.call(server, request, response);
    });
  }
};
