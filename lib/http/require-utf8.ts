import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const notUtf8 = () =>
  new ValidationError('Request body is not valid UTF-8', [{ field: '(body)', message: 'is not valid UTF-8' }]);

/** Decodes body bytes as UTF-8, strictly: 400 on any invalid sequence. */
export const decodeUtf8 = (bytes: Buffer): string => {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw notUtf8();
  }
};

/**
 * A text body has already been decoded by the gateway, which turns invalid bytes into U+FFFD, so a raw U+FFFD is
 * taken as the mark of invalid input (a client that means the character can send it escaped, as \ufffd): 400.
 */
export const checkGatewayText = (text: string): void => {
  if (text.includes('\uFFFD')) throw notUtf8();
};

/** JSON must be UTF-8 (RFC 8259). A base64 body is decoded strictly; a text body is checked for U+FFFD. */
export const requireUtf8 = (): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: ({ event }) => {
    if (event.body === undefined) return;
    if (event.isBase64Encoded) {
      event.body = decodeUtf8(Buffer.from(event.body, 'base64'));
      event.isBase64Encoded = false;
    } else {
      checkGatewayText(event.body);
    }
  },
});
