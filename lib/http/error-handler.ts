import { STATUS_CODES } from 'node:http';
import type { MiddlewareObj } from '@middy/core';
import { toFieldErrors } from '../activity/validation.js';
import { AppError, type FieldError } from '../errors.js';
import { describeError, logger } from '../observability/logger.js';
import { jsonResponse } from './json-response.js';

interface MiddyHttpError extends Error {
  statusCode: number;
  cause?: { package?: string; data?: unknown; message?: string };
}

interface HttpProblem {
  status: number;
  message: string;
  details: FieldError[];
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

const isMiddyError = (error: unknown): error is MiddyHttpError =>
  error instanceof Error && typeof (error as MiddyHttpError).statusCode === 'number';

const fromMiddy = (error: MiddyHttpError): HttpProblem | undefined => {
  const { package: source, data, message } = error.cause ?? {};
  if (source === '@middy/validator') {
    const details = toFieldErrors(data as never, ['/body', '/queryStringParameters', '/pathParameters']);
    return { status: 400, message: 'Validation failed', details, headers: {} };
  }
  if (source !== '@middy/http-json-body-parser') return undefined;
  // The content type is checked before (requireJson), so this is an unparseable body, for which middy answers 415;
  // the API's documented contract (and HTTP semantics) is 400.
  const reason = data === undefined ? 'is empty' : `is not valid JSON: ${message ?? 'parse error'}`;
  return {
    status: 400,
    message: `Malformed JSON request body`,
    details: [{ field: '(body)', message: reason }],
    headers: {},
  };
};

const toProblem = (error: unknown): HttpProblem => {
  // A 503 is logged where it happens, with the event ids it concerns (pipeline-log.ts).
  if (error instanceof AppError && (error.statusCode < 500 || error.statusCode === 503)) {
    return {
      status: error.statusCode,
      message: error.message,
      details: error.details,
      headers: error.headers,
      body: error.body,
    };
  }
  if (isMiddyError(error)) {
    const problem = fromMiddy(error);
    if (problem) return problem;
  }
  logger.error('Unhandled error', { ...describeError(error), stack: error instanceof Error ? error.stack : undefined });
  return { status: 500, message: 'An unexpected error occurred', details: [], headers: {} };
};

/**
 * The only place errors become HTTP responses:
 * `{"status":N,"error":"<reason phrase>","message":"…","details":[{"field":"…","message":"…"}]}`.
 */
export const httpErrorHandler = (): MiddlewareObj => ({
  onError: (request) => {
    const problem = toProblem(request.error);
    request.response = jsonResponse(
      problem.status,
      {
        status: problem.status,
        error: STATUS_CODES[problem.status],
        message: problem.message,
        details: problem.details,
        ...problem.body,
      },
      problem.headers,
    );
  },
});
