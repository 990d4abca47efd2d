import {
  SEGMENT_CALL_TYPES,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_CALL_BYTES,
  SEGMENT_SHORT_PATHS,
  type SegmentBatch,
  type SegmentCallType,
  segmentBatchSchema,
} from '../../lib/activity/segment-schema.js';
import { compileSchema, toFieldErrors } from '../../lib/activity/validation.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';

/** Which endpoint was called: one call of a type, or a batch (`/v1/batch` and its synonym `/v1/import`). */
export type Endpoint = { batch: true } | { batch: false; type: SegmentCallType };

/** A request's calls, as sent, with what the batch envelope gives them all (its write key is checked before). */
export interface SegmentRequest {
  batch: boolean;
  calls: unknown[];
  sentAt?: string;
  context?: Record<string, unknown>;
}

const ROUTE = /\/v1\/(\w+)$/;
const isCallType = (name: string): name is SegmentCallType => (SEGMENT_CALL_TYPES as readonly string[]).includes(name);

const longName = (name: string): string => SEGMENT_SHORT_PATHS[name as keyof typeof SEGMENT_SHORT_PATHS] ?? name;

/** The endpoint of an API Gateway route key (`POST /v1/track`, `POST /v1/t`), or of the path when there is none. */
export const endpointOf = (routeKey: string | undefined, rawPath: string | undefined): Endpoint => {
  const name = longName(ROUTE.exec(routeKey ?? rawPath ?? '')?.[1] ?? '');
  if (name === 'batch' || name === 'import') return { batch: true };
  if (isCallType(name)) return { batch: false, type: name };
  throw new NotFoundError(`No Segment endpoint /v1/${name}`);
};

/** The decompressed size limit of the endpoint's body: Segment's 500 KB per batch, 32 KB per call. */
export const bodyLimitOf = (endpoint: Endpoint): number =>
  endpoint.batch ? SEGMENT_MAX_BATCH_BYTES : SEGMENT_MAX_CALL_BYTES;

const validateBatch = compileSchema(segmentBatchSchema);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const notAnObject = () =>
  new ValidationError('Validation failed', [{ field: '(body)', message: 'must be a JSON object' }]);

/**
 * Splits a parsed body into its calls: a batch's `batch` array, or the one call of a single endpoint, whose type is
 * the endpoint's. 400 when the envelope itself is unusable (each call is checked on its own later).
 */
export const toSegmentRequest = (body: unknown, endpoint: Endpoint): SegmentRequest => {
  if (!isObject(body)) throw notAnObject();
  if (!endpoint.batch) return { batch: false, calls: [{ ...body, type: endpoint.type }] };
  if (!validateBatch(body)) throw new ValidationError('Validation failed', toFieldErrors(validateBatch.errors));
  const batch = body as SegmentBatch & Record<string, unknown>;
  return {
    batch: true,
    calls: batch.batch as unknown[],
    ...(batch.sentAt === undefined ? {} : { sentAt: batch.sentAt }),
    ...(batch.context === undefined ? {} : { context: batch.context as Record<string, unknown> }),
  };
};
