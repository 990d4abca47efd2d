import type { MiddlewareObj } from '@middy/core';
import { AppError, type RefusalReason } from '../errors.js';
import { countRejected } from '../observability/metrics.js';

// middy's validator (400) and JSON parser (415, answered 400 by httpErrorHandler) throw errors of their own.
const middyRefusal = (error: unknown): RefusalReason | undefined => {
  const source = (error as { cause?: { package?: string } } | null)?.cause?.package;
  return source === '@middy/validator' || source === '@middy/http-json-body-parser' ? 'validation' : undefined;
};

/**
 * Counts a write request refused as a whole (401, 413, 415, an unreadable or off-schema body) once, by the reason its
 * error names. Events that reached the intake were counted there, one by one, from its typed outcome.
 */
export const countRefusals = (): MiddlewareObj => ({
  onError: ({ error }) => {
    const reason = error instanceof AppError ? error.refusal : middyRefusal(error);
    if (reason) countRejected(reason);
  },
});
