import { describe, expect, it } from 'vitest';
import { apiGatewayCors, type HttpApiCors } from './api-gateway-cors.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.com';

const cors: HttpApiCors = {
  allowedOrigins: [APP, 'http://localhost:5173'],
  allowedMethods: ['GET', 'POST', 'OPTIONS'],
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedResponseHeaders: ['Retry-After'],
  maxAge: 600,
};

const preflight = (origin: string) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
});
const post = (origin?: string) => ({ method: 'POST', headers: origin === undefined ? {} : { origin } });

describe('API Gateway HTTP API CORS', () => {
  it('answers a preflight from an allowed origin 204 with the configured methods, headers and max age', () => {
    expect(apiGatewayCors(preflight(APP), cors)).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': 'Content-Type,Authorization',
        'access-control-max-age': '600',
      },
    });
  });

  it('adds the allowed origin and the exposed headers to the answer of a request from it', () => {
    expect(apiGatewayCors(post(APP), cors)).toEqual({
      headers: { 'access-control-allow-origin': APP, 'access-control-expose-headers': 'Retry-After' },
    });
  });

  it.each([
    ['a preflight from another origin', preflight(EVIL), { status: 204, headers: {} }],
    ['a request from another origin', post(EVIL), { headers: {} }],
    ['a request without Origin', post(), { headers: {} }],
  ])('gives %s no CORS header', (_case, request, answer) => {
    expect(apiGatewayCors(request, cors)).toEqual(answer);
  });

  it('answers * to any origin when * is allowed', () => {
    const any = { ...cors, allowedOrigins: ['*'] };
    expect(apiGatewayCors(post(EVIL), any).headers['access-control-allow-origin']).toBe('*');
    expect(apiGatewayCors(preflight(EVIL), any).headers['access-control-allow-origin']).toBe('*');
  });

  it('sends credentials only when they are allowed', () => {
    expect(apiGatewayCors(post(APP), cors).headers).not.toHaveProperty('access-control-allow-credentials');
    expect(apiGatewayCors(post(APP), { ...cors, allowCredentials: true }).headers).toMatchObject({
      'access-control-allow-credentials': 'true',
    });
  });

  it.each([
    ['a preflight: 404, since no route takes OPTIONS', preflight(APP), { status: 404, headers: {} }],
    ['a request: no CORS header', post(APP), { headers: {} }],
  ])('without a CORS configuration answers %s', (_case, request, answer) => {
    expect(apiGatewayCors(request, null)).toEqual(answer);
  });
});
