import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiRequestHooks, type OfflineServerless } from '../shared/api-requests.js';
import { apiGatewayCors, type HttpApiCors } from './api-gateway-cors.js';

interface Serverless extends OfflineServerless {
  service: OfflineServerless['service'] & { provider: { httpApi?: { cors?: HttpApiCors | null } } };
}

/**
 * serverless offline's CORS is not API Gateway's: without provider.httpApi.cors it answers a preflight from any origin
 * 200 with `access-control-allow-credentials: true` and echoes any Origin on every answer; with it, it still echoes
 * an origin that is not allowed on the answer of a POST or GET. It exposes no setting for "no CORS", so this plugin
 * rewrites the access-control-* headers (and a preflight's status) of every answer of the API's port just before
 * they are written, from the same provider.httpApi.cors that becomes the template's CorsConfiguration
 * (api-gateway-cors.ts says what API Gateway does).
 */
export class OfflineCorsPlugin {
  readonly hooks: Record<string, () => void>;
  #cors: HttpApiCors | null = null;

  constructor(serverless: Serverless, cliOptions: { httpPort?: number | string }) {
    this.hooks = apiRequestHooks(
      serverless,
      cliOptions,
      (request, response) => this.#answerAsApiGateway(request, response),
      () => {
        this.#cors = serverless.service.provider.httpApi?.cors ?? null;
      },
    );
  }

  #answerAsApiGateway(request: IncomingMessage, response: ServerResponse): void {
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
  }
}
