import { describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { handler } from './handler.js';

const serversFor = async (headers: Record<string, string>, stage = '$default') => {
  const event = httpEvent({ method: 'GET', path: '/openapi.json', headers });
  const response = await handler(
    { ...event, requestContext: { ...event.requestContext, stage } } as never,
    lambdaContext(),
  );
  expect(response.statusCode).toBe(200);
  return (JSON.parse(response.body) as { servers: Array<{ url: string }> }).servers;
};

describe('GET /openapi.json (function level, real middy stack)', () => {
  it('names the API Gateway endpoint the request reached as the server, over HTTPS', async () => {
    const host = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';
    expect(await serversFor({ host, 'x-forwarded-proto': 'https' })).toEqual([{ url: `https://${host}` }]);
  });

  it('adds a named stage to the path, as API Gateway serves it there', async () => {
    const host = 'api.example.com';
    expect(await serversFor({ host, 'x-forwarded-proto': 'https' }, 'prod')).toEqual([
      { url: 'https://api.example.com/prod' },
    ]);
  });

  it('names the local server under serverless offline', async () => {
    expect(await serversFor({ host: '127.0.0.1:8123' })).toEqual([{ url: 'http://127.0.0.1:8123' }]);
  });
});
