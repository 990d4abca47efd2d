import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { WriteKeyError } from '../../lib/errors.js';
import type { Access } from '../../lib/http/access.js';
import { bearerToken, headerOf } from '../../lib/http/headers.js';
import { keyAllowed } from '../../lib/http/require-api-key.js';

/**
 * The key an Authorization header presents: HTTP Basic as Segment's SDKs send it (`base64("<writeKey>:")`, the key as
 * the user name) or Bearer as the native API takes it. undefined without the header; '' when it cannot be read, which
 * no configured key matches.
 */
export const headerKey = (event: Pick<APIGatewayProxyEventV2, 'headers'>): string | undefined => {
  const header = headerOf(event, 'authorization');
  if (header === undefined) return undefined;
  const bearer = bearerToken(header);
  if (bearer !== undefined) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1];
  if (basic === undefined) return '';
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
};

/** The body's `writeKey`: undefined when absent, '' when it is not a string (no configured key matches that). */
export const bodyKey = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || !('writeKey' in body)) return undefined;
  const key = (body as { writeKey: unknown }).writeKey;
  return typeof key === 'string' ? key : '';
};

/**
 * Checks the write keys a request presents (its Authorization header, the body's `writeKey`, or both) against
 * API_KEYS: every key presented must be valid, so a wrong or unreadable key is refused even beside a right one.
 * Open (no API_KEYS): anything goes. Returns the key the request is known by ('' for none), which names its events.
 */
export const writeKeyChecker = (access: Access) => {
  const isKnown = keyAllowed(access);
  return (presented: Array<string | undefined>): string => {
    const keys = presented.filter((key): key is string => key !== undefined);
    if (!access.open && keys.length === 0)
      throw new WriteKeyError('Missing write key: send it as the HTTP Basic auth user name or as writeKey in the body');
    // Every key is compared, without an early exit, as requireApiKey does.
    const valid = keys.map(isKnown);
    if (valid.includes(false)) throw new WriteKeyError('Invalid write key');
    return keys.find((key) => key !== '') ?? '';
  };
};
