import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Access } from '../../lib/http/access.js';
import { readBody } from './read-body.js';
import { bodyLimitOf, endpointOf, type SegmentRequest, toSegmentRequest } from './segment-request.js';
import { bodyKey, headerKey, writeKeyChecker } from './write-key.js';

/** A Segment-format request once read: its calls and the write key it is known by ('' for none on an open service). */
export type SegmentEvent = APIGatewayProxyEventV2 & { segment: { request: SegmentRequest; writeKey: string } };

/**
 * The Segment endpoints' input: their own write keys (Basic, Bearer or the body's `writeKey`, so not requireApiKey),
 * a body that may be gzipped or labelled text/plain (so not middy's JSON parser), then the envelope. A wrong key in
 * the header is refused before the body is read.
 */
export const segmentInput = (access: Access): MiddlewareObj<SegmentEvent> => {
  const checkWriteKeys = writeKeyChecker(access);
  return {
    before: ({ event }) => {
      const endpoint = endpointOf(event.routeKey, event.rawPath);
      const fromHeader = headerKey(event);
      if (fromHeader !== undefined) checkWriteKeys([fromHeader]);
      const body = readBody(event, bodyLimitOf(endpoint));
      const writeKey = checkWriteKeys([fromHeader, bodyKey(body)]);
      event.segment = { request: toSegmentRequest(body, endpoint), writeKey };
    },
  };
};
