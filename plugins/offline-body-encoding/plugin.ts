import type { IncomingMessage } from 'node:http';
import { apiRequestHooks, type OfflineServerless } from '../shared/api-requests.js';
import { isBinaryBody } from './api-gateway-body.js';

/** The media type serverless-offline takes for bytes: it then passes the body base64-encoded, as AWS does. */
const BINARY_MARK = 'application/octet-stream';

const markBinaryBody = ({ headers }: IncomingMessage): void => {
  if (isBinaryBody(headers['content-type'], headers['content-encoding'])) headers['content-type'] = BINARY_MARK;
};

/**
 * serverless offline decodes every request body as UTF-8 text unless its Content-Type is application/octet-stream or
 * multipart/form-data, so a gzip body (RudderStack's SDK sends one) reaches the function already garbled. API
 * Gateway's HTTP API passes such a body base64-encoded. serverless-offline decides by the parsed `content-type`
 * header but builds the Lambda event from the raw headers, so this plugin marks the parsed header of a binary body
 * (api-gateway-body.ts) and the function still sees the Content-Type that was sent.
 */
export class OfflineBodyEncodingPlugin {
  readonly hooks: Record<string, () => void>;

  constructor(serverless: OfflineServerless, cliOptions: { httpPort?: number | string }) {
    this.hooks = apiRequestHooks(serverless, cliOptions, markBinaryBody);
  }
}
