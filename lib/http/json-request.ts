import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import { compileBodySchema } from '../validation.js';
import { bodyLimit } from './body-limit.js';
import { requireJson } from './require-json.js';
import { requireUtf8 } from './require-utf8.js';

// requireJson checks the media type case-insensitively; middy 6.2 honours this option but its typings omit it.
const parseJsonOnly = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];

/** The input side of a JSON endpoint: 413 over the limit, 415 unless JSON, 400 when not UTF-8, unparseable or off-schema. */
export const jsonRequest = (maxBodyBytes: number, bodySchema: object): MiddlewareObj[] => {
  const eventSchema = compileBodySchema(bodySchema); // compiled once per handler, at module load
  return [
    bodyLimit(maxBodyBytes),
    requireJson(),
    requireUtf8(),
    httpJsonBodyParser(parseJsonOnly),
    validator({ eventSchema }),
  ] as MiddlewareObj[];
};
