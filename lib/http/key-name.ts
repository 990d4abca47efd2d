import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Access } from './access.js';
import { bearerToken, headerOf } from './headers.js';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * The name of the key a request was let in with, for an audit trail: its place in the list (`ADMIN_API_KEYS #2`),
 * never the key; `open` where no key is needed. Compared as requireApiKey compares, against every key.
 */
export const keyNameOf = (access: Access, listName: string, event: Pick<APIGatewayProxyEventV2, 'headers'>): string => {
  if (access.open) return 'open';
  const presented = digest(bearerToken(headerOf(event, 'authorization')) ?? '');
  let found = -1;
  access.keys.forEach((key, index) => {
    if (timingSafeEqual(presented, digest(key)) && found === -1) found = index;
  });
  return found === -1 ? 'unknown' : `${listName} #${found + 1}`;
};
