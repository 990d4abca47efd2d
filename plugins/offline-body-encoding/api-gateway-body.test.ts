import { describe, expect, it } from 'vitest';
import { isBinaryBody } from './api-gateway-body.js';

describe("API Gateway HTTP API's body encoding", () => {
  it.each([
    ['application/json', undefined],
    ['application/json; charset=utf-8', undefined],
    ['text/plain', undefined],
    ['application/xml', ''],
    ['application/javascript', 'identity'],
    [undefined, undefined],
  ])('passes %s (Content-Encoding %s) as text', (contentType, contentEncoding) => {
    expect(isBinaryBody(contentType, contentEncoding)).toBe(false);
  });

  it.each([
    ['application/json', 'gzip'],
    ['text/plain', 'br'],
    ['application/octet-stream', undefined],
    ['application/x-www-form-urlencoded', undefined],
    ['application/vnd.api+json', undefined],
  ])('passes %s (Content-Encoding %s) base64-encoded', (contentType, contentEncoding) => {
    expect(isBinaryBody(contentType, contentEncoding)).toBe(true);
  });
});
