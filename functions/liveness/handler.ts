import middy from '@middy/core';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { observe } from '../../lib/observability/observe.js';

/**
 * `GET /health/live`: the process answers. No dependency is checked, so an orchestrator that restarts on failure
 * does not restart the app for a broker or database outage it cannot fix (`GET /health` reports those).
 */
export const handler = middy(async () => jsonResponse(200, { status: 'UP' }))
  .use(observe())
  .use(httpErrorHandler());
