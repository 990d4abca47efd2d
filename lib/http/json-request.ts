import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileBodySchema } from '../activity/validation.js';
import { bodyLimit } from './body-limit.js';
import { requireJson } from './require-json.js';
import { requireUtf8 } from './require-utf8.js';

// requireJson checks the media type case-insensitively; middy 6.2 honours this option but its typings omit it.
const parseJsonOnly = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];

// serverless-offline passes an empty body as null where API Gateway leaves it out: make both "no body".
const emptyBodyIsNoBody: MiddlewareObj = {
  before: ({ event }) => {
    const request = event as { body?: string | null };
    if (request.body === null || request.body === '') request.body = undefined;
  },
};

/**
 * The input side of a JSON endpoint: 413 over the limit, 415 unless JSON, 400 when not UTF-8, unparseable or
 * off-schema. Nothing here recurses on the body's nesting: JSON.parse does not, and the schemas bound metadata to 10
 * levels before anything else reads it (json-depth.ts is for bodies serialised before their schema is checked).
 */
export const jsonRequest = <TEvent = APIGatewayProxyEventV2>(maxBodyBytes: number, bodySchema: object) => {
  const eventSchema = compileBodySchema(bodySchema); // compiled once per handler, at module load
  // These turn API Gateway's event (a body of text) into TEvent (a body of the schema's type).
  return [
    emptyBodyIsNoBody,
    bodyLimit(maxBodyBytes),
    requireJson(),
    requireUtf8(),
    httpJsonBodyParser(parseJsonOnly),
    validator({ eventSchema }),
  ] as MiddlewareObj<TEvent>[];
};
