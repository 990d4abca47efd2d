import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { observe } from '../observability/observe.js';
import type { Access } from './access.js';
import { countRefusals } from './count-refusals.js';
import { httpErrorHandler } from './error-handler.js';
import type { HttpResponse } from './json-response.js';
import { requireApiKey } from './require-api-key.js';

export interface HttpFunctionOptions<TEvent> {
  /** Who may call it (lib/http/access.ts); open when absent. */
  access?: Access;
  /** What reads and checks the request before the handler: body limits, media type, parsing, schema. */
  input?: MiddlewareObj<TEvent>[];
  /** A write endpoint: a request refused as a whole counts as a rejected event. */
  countsRefusals?: boolean;
}

/**
 * Builds every HTTP function. middy runs `before` in this order and `after`/`onError` in the reverse, so:
 * 1. observe: first in and last out, so every log line carries the request's ids and the metrics are written after
 *    everything below has counted;
 * 2. countRefusals: counts the refusal an error names, before observe writes the metrics;
 * 3. httpErrorHandler: the only place an error becomes a response, for errors of the key check, the input and the
 *    handler alike;
 * 4. requireApiKey: before anything reads the body, so a caller without a key costs nothing and publishes nothing;
 * 5. input: size first (before any parsing), then media type, encoding, parsing and the schema.
 */
export const httpFunction = <TEvent = APIGatewayProxyEventV2>(
  handle: (event: TEvent) => Promise<HttpResponse>,
  { access = { open: true }, input = [], countsRefusals = false }: HttpFunctionOptions<TEvent> = {},
) =>
  middy<TEvent, HttpResponse>(handle)
    .use(observe<TEvent>())
    .use(countsRefusals ? [countRefusals() as MiddlewareObj<TEvent>] : [])
    .use(httpErrorHandler() as MiddlewareObj<TEvent>)
    .use(requireApiKey(access) as MiddlewareObj<TEvent>)
    .use(input);
