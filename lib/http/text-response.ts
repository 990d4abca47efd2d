import type { HttpResponse } from './json-response.js';

/** A response whose body is text of the given media type (a page, a metrics exposition). */
export const textResponse = (statusCode: number, contentType: string, body: string): HttpResponse => ({
  statusCode,
  headers: { 'Content-Type': contentType },
  body,
});
