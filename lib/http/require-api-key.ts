import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthorizedError } from '../errors.js';
import type { Access } from './access.js';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * 401 unless `Authorization: Bearer <key>` carries one of the keys. Keys are compared as SHA-256 digests with
 * timingSafeEqual, against every key without an early exit, so timing reveals neither a key nor which one matched.
 * Runs before the body is read, so a refused request publishes nothing. Keys are never logged.
 */
export const requireApiKey = <TEvent extends Pick<APIGatewayProxyEventV2, 'headers'>>(
  access: Access,
): MiddlewareObj<TEvent> => {
  if (access.open) return { before: () => undefined };
  const digests = access.keys.map(digest);
  return {
    before: ({ event }) => {
      const header = event.headers?.authorization ?? event.headers?.Authorization ?? '';
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw new UnauthorizedError('Missing API key: send Authorization: Bearer <key>');
      const presented = digest(match[1]);
      let valid = false;
      for (const known of digests) valid = timingSafeEqual(presented, known) || valid;
      if (!valid) throw new UnauthorizedError('Invalid API key');
    },
  };
};
