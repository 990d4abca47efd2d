import { httpFunction } from '../../lib/http/http-function.js';
import { debuggerPage, debuggerPageCsp } from './page.js';

const headers = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': debuggerPageCsp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // A deploy changes the page (and its script hash); never keep a stale copy.
  'Cache-Control': 'no-cache',
};

/**
 * `GET /debugger`: the live event debugger. Open: the page holds no data, and its script asks for a read key when
 * the data endpoints answer 401.
 */
export const handler = httpFunction(async () => ({ statusCode: 200, headers, body: debuggerPage }));
