import type { IncomingHttpHeaders } from 'node:http';

/** provider.httpApi.cors of serverless.yml in its object form (osls's schema; deploy/cors.ts writes it). */
export interface HttpApiCors {
  allowedOrigins: string[];
  allowedMethods?: string[];
  allowedHeaders?: string[];
  exposedResponseHeaders?: string[];
  allowCredentials?: boolean;
  maxAge?: number;
}

/** The CORS part of an answer: its access-control-* headers (all of them), and a status that replaces the route's. */
export interface CorsAnswer {
  status?: number;
  headers: Record<string, string>;
}

/**
 * What API Gateway's HTTP API does about CORS for a request, with `cors` its configuration (null: none).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 * - Configured: it answers every preflight (OPTIONS with Origin and Access-Control-Request-Method) itself, 204, with
 *   the allowed methods and headers when the origin is allowed; it adds Access-Control-Allow-Origin to the answer of
 *   any other request from an allowed origin; an origin not allowed gets no CORS header at all.
 * - Not configured: no CORS header ever, and a preflight reaches the routes, where there is no OPTIONS route: 404.
 */
export const apiGatewayCors = (
  request: { method?: string; headers: IncomingHttpHeaders },
  cors: HttpApiCors | null | undefined,
): CorsAnswer => {
  const { origin } = request.headers;
  const preflight =
    request.method === 'OPTIONS' &&
    origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined;
  if (!cors) return preflight ? { status: 404, headers: {} } : { headers: {} };

  const anyOrigin = cors.allowedOrigins.includes('*');
  const allowed = origin !== undefined && (anyOrigin || cors.allowedOrigins.includes(origin));
  const headers: Record<string, string> = {};
  if (allowed) {
    headers['access-control-allow-origin'] = anyOrigin ? '*' : origin;
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (preflight) {
      if (cors.allowedMethods) headers['access-control-allow-methods'] = cors.allowedMethods.join(',');
      if (cors.allowedHeaders) headers['access-control-allow-headers'] = cors.allowedHeaders.join(',');
      if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
    } else if (cors.exposedResponseHeaders?.length) {
      headers['access-control-expose-headers'] = cors.exposedResponseHeaders.join(',');
    }
  }
  return preflight ? { status: 204, headers } : { headers };
};
