import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnsupportedMediaTypeError } from '../errors.js';
import { headerOf } from './headers.js';

// Media types are case-insensitive (RFC 9110 §8.3.1); middy's own check is not, so this one replaces it.
const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** 415 unless the request says its body is JSON. */
export const requireJson = (): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: ({ event }) => {
    const contentType = headerOf(event, 'content-type');
    if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
      const got = contentType === undefined ? 'none' : `"${contentType}"`;
      throw new UnsupportedMediaTypeError(`Content-Type must be application/json (got ${got})`, [
        { field: 'Content-Type', message: 'must be application/json' },
      ]);
    }
  },
});
