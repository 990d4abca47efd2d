import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBinaryBody } from './api-gateway-body.js';

interface Serverless {
  service: { custom?: { 'serverless-offline'?: { httpPort?: number | string } } };
}

/** Published by Node's HTTP server for every request, before the server's own handler sees it. */
const REQUEST_START = 'http.server.request.start';
const DEFAULT_HTTP_PORT = 3000;

/** The media type serverless-offline takes for bytes: it then passes the body base64-encoded, as AWS does. */
const BINARY_MARK = 'application/octet-stream';

/**
 * serverless offline decodes every request body as UTF-8 text unless its Content-Type is application/octet-stream or
 * multipart/form-data, so a gzip body (RudderStack's SDK sends `application/json` + `Content-Encoding: gzip`) reaches
 * the function already garbled. API Gateway's HTTP API passes such a body base64-encoded. serverless-offline decides
 * by the parsed `content-type` header but builds the Lambda event from the raw headers, so this plugin marks the
 * parsed header of a binary body (api-gateway-body.ts) and the function still sees the Content-Type that was sent.
 */
export class OfflineBodyEncodingPlugin {
  readonly hooks: Record<string, () => void>;
  #port = DEFAULT_HTTP_PORT;

  constructor(
    private readonly serverless: Serverless,
    private readonly cliOptions: { httpPort?: number | string },
  ) {
    this.hooks = {
      'offline:start': () => this.start(),
      'offline:start:init': () => this.start(),
      'offline:start:end': () => this.stop(),
    };
  }

  start(): void {
    const { custom } = this.serverless.service;
    this.#port = Number(this.cliOptions.httpPort ?? custom?.['serverless-offline']?.httpPort ?? DEFAULT_HTTP_PORT);
    subscribe(REQUEST_START, this.#onRequest);
  }

  stop(): void {
    unsubscribe(REQUEST_START, this.#onRequest);
  }

  readonly #onRequest = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if ((server.address() as AddressInfo | null)?.port !== this.#port) return;
    const { headers } = request;
    if (isBinaryBody(headers['content-type'], headers['content-encoding'])) headers['content-type'] = BINARY_MARK;
  };
}
