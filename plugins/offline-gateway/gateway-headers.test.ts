import { describe, expect, it } from 'vitest';
import { ABSENT_CONTENT_TYPE, toGatewayRawHeaders } from './gateway-headers.js';

const ABSENT = 'application/x-absent';

describe("API Gateway HTTP API's request headers (payload 2.0)", () => {
  it('joins duplicate headers with commas, in the order sent, whatever the case of their names', () => {
    const raw = ['Authorization', 'Bearer wrong', 'Content-Type', 'application/json', 'authorization', 'Bearer right'];

    expect(toGatewayRawHeaders(raw, ABSENT)).toEqual([
      'Authorization',
      'Bearer wrong,Bearer right',
      'Content-Type',
      'application/json',
    ]);
  });

  it('passes headers sent once as they are', () => {
    const raw = ['Host', 'localhost:8000', 'Content-Type', 'text/plain', 'X-Retry-Count', '2'];

    expect(toGatewayRawHeaders(raw, ABSENT)).toEqual(raw);
  });

  it('joins Cookie headers as browsers do, so that cookies still parse', () => {
    expect(toGatewayRawHeaders(['Cookie', 'a=1', 'Cookie', 'b=2', 'Content-Type', 'text/plain'], ABSENT)).toEqual([
      'Cookie',
      'a=1; b=2',
      'Content-Type',
      'text/plain',
    ]);
  });

  it.each([
    ['no Content-Type', ['Host', 'localhost'], ['Host', 'localhost', 'content-type', ABSENT]],
    [
      'an empty Content-Type',
      ['Content-Type', ' ', 'Host', 'localhost'],
      ['Content-Type', ABSENT, 'Host', 'localhost'],
    ],
  ])('marks %s as absent', (_case, raw, shaped) => {
    expect(toGatewayRawHeaders(raw, ABSENT)).toEqual(shaped);
  });

  it('marks an absent Content-Type with a value no client knows', () => {
    expect(toGatewayRawHeaders([])).toEqual(['content-type', ABSENT_CONTENT_TYPE]);
    expect(ABSENT_CONTENT_TYPE).toMatch(/^application\/x-offline-gateway-absent; id=[0-9a-f-]{36}$/);
  });
});
