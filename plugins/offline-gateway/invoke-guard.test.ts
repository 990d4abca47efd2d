import { describe, expect, it } from 'vitest';
import { invokeRefusal } from './invoke-guard.js';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20260219/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=0';
const sdk = (host = '127.0.0.1:8002') => ['Host', host, 'Authorization', SIGNED, 'Content-Type', 'application/json'];

describe("the guard of serverless offline's Lambda invoke endpoint", () => {
  it.each([
    ['127.0.0.1', sdk()],
    ['::1', sdk('[::1]:8002')],
    ['::ffff:127.0.0.1', sdk('localhost:8002')],
    ['127.0.0.1', sdk('LOCALHOST')],
  ])('lets the AWS SDK or CLI call from %s with Host %j', (remoteAddress, rawHeaders) => {
    expect(invokeRefusal({ rawHeaders, remoteAddress })).toBeUndefined();
  });

  it.each([
    ['another machine', '192.168.1.20', sdk()],
    ['an unknown address', undefined, sdk()],
    ['a page (Origin)', '127.0.0.1', [...sdk(), 'Origin', 'http://localhost:5173']],
    ['a sandboxed page (Origin: null)', '127.0.0.1', [...sdk(), 'origin', 'null']],
    ['a browser (fetch metadata)', '127.0.0.1', [...sdk(), 'Sec-Fetch-Mode', 'no-cors']],
    ['a page of a name resolved to 127.0.0.1', '127.0.0.1', sdk('rebind.example:8002')],
    ['two Hosts', '127.0.0.1', [...sdk(), 'Host', 'rebind.example']],
    ['no Host', '127.0.0.1', ['Authorization', SIGNED]],
    ['an unsigned client', '127.0.0.1', ['Host', 'localhost:8002', 'Content-Type', 'application/json']],
    ['a bearer key', '127.0.0.1', ['Host', 'localhost:8002', 'Authorization', 'Bearer k']],
    ['two Authorizations', '127.0.0.1', [...sdk(), 'Authorization', SIGNED]],
  ])('refuses %s', (_who, remoteAddress, rawHeaders) => {
    expect(invokeRefusal({ rawHeaders, remoteAddress })).toEqual(expect.any(String));
  });
});
