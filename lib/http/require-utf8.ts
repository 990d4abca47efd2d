import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const notUtf8 = () =>
  new ValidationError('Request body is not valid UTF-8', [{ field: '(body)', message: 'is not valid UTF-8' }]);

/**
 * JSON must be UTF-8 (RFC 8259). A base64 body is decoded strictly. A text body has already been decoded by the
 * gateway, which turns invalid bytes into U+FFFD, so a raw U+FFFD is taken as the mark of invalid input (a client
 * that means the character can send it escaped, as \ufffd).
 */
export const requireUtf8 = (): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: ({ event }) => {
    if (event.body === undefined) return;
    if (event.isBase64Encoded) {
      try {
        event.body = strictUtf8.decode(Buffer.from(event.body, 'base64'));
        event.isBase64Encoded = false;
      } catch {
        throw notUtf8();
      }
    } else if (event.body.includes('\uFFFD')) {
      throw notUtf8();
    }
  },
});
