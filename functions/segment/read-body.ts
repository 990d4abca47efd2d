import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../../lib/errors.js';
import { headerOf } from '../../lib/http/headers.js';
import { checkJsonDepth } from '../../lib/http/json-depth.js';
import { checkGatewayText, decodeUtf8 } from '../../lib/http/require-utf8.js';

// The media types the SDKs label their JSON with: application/json; text/plain (Segment's browser SDK, so the browser
// makes no CORS preflight); application/x-www-form-urlencoded (rudder-sdk-node posts its gzipped Buffer through axios,
// which labels a Buffer so); or none. Whatever the label, the body is read as JSON.
const ACCEPTED_MEDIA_TYPE = /^(application\/([\w.+-]+\+)?json|text\/plain|application\/x-www-form-urlencoded)\s*(;|$)/i;

const badBody = (message: string) => new ValidationError('Malformed request body', [{ field: '(body)', message }]);

const checkMediaType = (event: APIGatewayProxyEventV2): void => {
  const contentType = headerOf(event, 'content-type');
  if (contentType !== undefined && !ACCEPTED_MEDIA_TYPE.test(contentType))
    throw new UnsupportedMediaTypeError(`Content-Type must be application/json or text/plain (got "${contentType}")`, [
      { field: 'Content-Type', message: 'must be application/json or text/plain' },
    ]);
};

const isGzip = (event: APIGatewayProxyEventV2): boolean => {
  const encoding = headerOf(event, 'content-encoding')?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return false;
  if (encoding === 'gzip' || encoding === 'x-gzip') return true;
  throw new UnsupportedMediaTypeError(`Content-Encoding must be gzip or identity (got "${encoding}")`, [
    { field: 'Content-Encoding', message: 'must be gzip or identity' },
  ]);
};

/** Inflates at most `maxBytes`: a small body that would inflate past the limit (a gzip bomb) stops there, with 413. */
const gunzip = (compressed: Buffer, maxBytes: number): Buffer => {
  try {
    return gunzipSync(compressed, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(maxBytes);
    throw badBody('is not valid gzip data');
  }
};

const looksLikeJson = (text: string): boolean => /^\s*[{[]/.test(text);

/**
 * The JSON a Segment-format request carries, with every size limit applied to the decompressed bytes. A binary or
 * compressed body arrives base64-encoded (API Gateway's HTTP API does that for anything but text); a text body has
 * been decoded by the gateway, which marks invalid UTF-8 with U+FFFD (checkGatewayText).
 */
export const readBody = (event: APIGatewayProxyEventV2, maxBytes: number): unknown => {
  checkMediaType(event);
  const gzip = isGzip(event);
  const body = event.body ?? '';
  let text: string;
  if (!event.isBase64Encoded && (!gzip || looksLikeJson(body))) {
    // Text, or a gzip body a gateway has already inflated (REST APIs with compression enabled do).
    if (Buffer.byteLength(body, 'utf8') > maxBytes) throw new PayloadTooLargeError(maxBytes);
    checkGatewayText(body);
    text = body;
  } else {
    const raw = Buffer.from(body, event.isBase64Encoded ? 'base64' : 'latin1');
    const bytes = gzip ? gunzip(raw, maxBytes) : raw;
    if (bytes.length > maxBytes) throw new PayloadTooLargeError(maxBytes);
    text = decodeUtf8(bytes);
  }
  if (text.trim() === '') throw badBody('is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badBody(`is not valid JSON: ${(error as Error).message}`);
  }
  checkJsonDepth(parsed);
  return parsed;
};
