import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { WriteKeyError } from '../../lib/errors.js';
import type { Access } from '../../lib/http/access.js';
import { keyMatcher } from '../../lib/http/require-api-key.js';

/** The write key of HTTP Basic auth: Segment's SDKs send `base64("<writeKey>:")`, the key as the user name. */
export const basicAuthKey = (event: Pick<APIGatewayProxyEventV2, 'headers'>): string | undefined => {
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? decoded : decoded.slice(0, colon);
  return key === '' ? undefined : key;
};

/**
 * Checks the write keys a request presents (Basic auth, the body's `writeKey`, or both) against API_KEYS: every key
 * presented must be valid, so a wrong key is refused even beside a right one. Open (no API_KEYS): anything goes.
 * Returns the key the request is known by ('' for none), which names its events' ids.
 */
export const writeKeyChecker = (access: Access) => {
  const isKnown = access.open ? () => true : keyMatcher(access.keys);
  return (presented: Array<string | undefined>): string => {
    const keys = presented.filter((key): key is string => key !== undefined && key !== '');
    if (!access.open && keys.length === 0)
      throw new WriteKeyError('Missing write key: send it as the HTTP Basic auth user name or as writeKey in the body');
    // Every key is compared, without an early exit, as requireApiKey does.
    const valid = keys.map(isKnown);
    if (valid.includes(false)) throw new WriteKeyError('Invalid write key');
    return keys[0] ?? '';
  };
};
