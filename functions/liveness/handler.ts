import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';

/**
 * `GET /health/live`: the process answers. No dependency is checked, so an orchestrator that restarts on failure
 * does not restart the app for a broker or database outage it cannot fix (`GET /health` reports those).
 */
export const handler = httpFunction(async () => jsonResponse(200, { status: 'UP' }));
