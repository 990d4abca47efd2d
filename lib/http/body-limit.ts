import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError } from '../errors.js';

const bodyBytes = ({ body, isBase64Encoded }: APIGatewayProxyEventV2): number => {
  if (body === undefined) return 0;
  return isBase64Encoded ? Buffer.byteLength(body, 'base64') : Buffer.byteLength(body, 'utf8');
};

/** Rejects a body over `limitBytes` with 413 before anything parses it. */
export const bodyLimit = (limitBytes: number): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => {
    if (bodyBytes(request.event) > limitBytes) throw new PayloadTooLargeError(limitBytes);
  },
});
