import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../errors.js';
import type { Access } from './access.js';
import { bearerToken, headerOf } from './headers.js';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Whether a presented key is one of `keys`. Keys are compared as SHA-256 digests with timingSafeEqual, against every
 * key without an early exit, so timing reveals neither a key nor which one matched.
 */
export const keyMatcher = (keys: string[]): ((presented: string) => boolean) => {
  const digests = keys.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let valid = false;
    for (const known of digests) valid = timingSafeEqual(candidate, known) || valid;
    return valid;
  };
};

/** Whether `access` lets a key in: any key while it is open, else one of its keys (keyMatcher). */
export const keyAllowed = (access: Access): ((presented: string) => boolean) =>
  access.open ? () => true : keyMatcher(access.keys);

/**
 * 401 unless `Authorization: Bearer <key>` carries one of the keys. Runs before the body is read, so a refused
 * request publishes nothing. Keys are never logged.
 */
export const requireApiKey = <TEvent extends Pick<APIGatewayProxyEventV2, 'headers'>>(
  access: Access,
): MiddlewareObj<TEvent> => {
  if (access.open) return { before: () => undefined };
  const isKnown = keyMatcher(access.keys);
  return {
    before: ({ event }) => {
      const key = bearerToken(headerOf(event, 'authorization'));
      if (!key) throw new UnauthorizedError('Missing API key: send Authorization: Bearer <key>');
      if (!isKnown(key)) throw new UnauthorizedError('Invalid API key');
    },
  };
};
