import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import { logger } from './logger.js';
import { flushMetrics } from './metrics.js';

interface MaybeHttpEvent {
  requestContext?: { requestId?: string };
}

/**
 * The first middleware of every function: log lines written during the invocation carry the function, its Lambda
 * request id and, for an HTTP request, API Gateway's request id (`request_id`, the one a client can quote); its
 * metrics are written when it ends, whatever the outcome.
 */
export const observe = <TEvent>(): MiddlewareObj<TEvent>[] => [
  injectLambdaContext(logger, { resetKeys: true }),
  {
    before: ({ event }) => {
      const requestId = (event as MaybeHttpEvent | undefined)?.requestContext?.requestId;
      if (requestId) logger.appendKeys({ request_id: requestId });
    },
    after: () => flushMetrics(),
    onError: () => flushMetrics(),
  },
];
