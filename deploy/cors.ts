import type { DeploySettings } from './settings.js';

/** osls's provider.httpApi.cors (lib/plugins/aws/package/compile/events/http-api.js), the template's CorsConfiguration. */
export interface HttpApiCors {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedResponseHeaders: string[];
  maxAge: number;
}

/**
 * provider.httpApi.cors of serverless.yml, or null for no CORS configuration at all: API Gateway then adds no CORS
 * header and answers a preflight 404, so no page of another origin can call the API. Credentials stay off: a page
 * sets the key's Authorization header itself, which needs no credentials mode (that is for cookies). Retry-After is
 * exposed so that a page can honour a 503's pause. plugins/offline-cors/ applies the same value under serverless offline.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
export const httpApiCors = (settings: DeploySettings): HttpApiCors | null =>
  settings.corsOrigins
    ? {
        allowedOrigins: settings.corsOrigins,
        allowedMethods: ['GET', 'POST', 'OPTIONS'],
        // X-Retry-Count: analytics.js 2.0 sends it on every retry; without it the retry's preflight fails.
        allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding', 'X-Retry-Count'],
        exposedResponseHeaders: ['Retry-After'],
        // Seconds a browser may reuse a preflight's answer (Chromium caps it at 7200): short enough that a changed
        // CORS_ORIGINS reaches open pages soon.
        maxAge: 600,
      }
    : null;
