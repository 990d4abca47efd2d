import {
  SEGMENT_CALL_TYPES,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_BATCH_EVENTS,
  SEGMENT_MAX_CALL_BYTES,
  SEGMENT_SHORT_PATHS,
  type SegmentCallType,
  segmentBatchSchema,
  segmentCallSchema,
} from '../activity/segment-schema.js';
import { error, json, retryAfter } from './parts.js';
import { segmentResultSchema } from './response-schemas.js';

/** The Segment-compatible endpoints (functions/segment) in the OpenAPI document: their schemas, security and paths. */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const kb = (bytes: number) => `${bytes / 1024} KB`;

const writeKey = {
  type: 'string',
  description: 'The write key, for clients that cannot send HTTP Basic auth; if both are sent, both must be valid',
} as const;

// A single call's type is its path's: one sent in the body is overridden, so the body need not carry it.
const { required: _type, ...singleCallSchema } = segmentCallSchema;

export const segmentSchemas = {
  SegmentCall: segmentCallSchema,
  SegmentSingleCall: {
    ...singleCallSchema,
    description: "One call: its type is the path's (a type in the body is overridden)",
    properties: { ...segmentCallSchema.properties, writeKey },
  },
  SegmentBatch: {
    ...segmentBatchSchema,
    properties: {
      ...segmentBatchSchema.properties,
      batch: { ...segmentBatchSchema.properties.batch, items: ref('SegmentCall') },
      writeKey,
    },
  },
  SegmentResult: segmentResultSchema,
  SegmentSettings: {
    type: 'object',
    required: ['integrations'],
    properties: {
      integrations: {
        type: 'object',
        required: ['Segment.io'],
        properties: {
          'Segment.io': {
            type: 'object',
            required: ['apiKey', 'apiHost', 'protocol'],
            properties: {
              apiKey: { type: 'string' },
              apiHost: { type: 'string', description: 'host[:port]/v1 of this service' },
              protocol: { enum: ['http', 'https'] },
            },
          },
        },
      },
      metrics: { type: 'object', properties: { sampleRate: { const: 0 } } },
      plan: { type: 'object' },
      enabledMiddleware: { type: 'object' },
      middlewareSettings: { type: 'object' },
    },
  },
  SegmentError: {
    description: 'An error; when the body was read but no call is usable, also success: false and the counts',
    allOf: [
      ref('Error'),
      {
        type: 'object',
        properties: {
          success: { const: false },
          accepted: segmentResultSchema.properties.accepted,
          rejected: segmentResultSchema.properties.rejected,
        },
      },
    ],
  },
};

export const segmentSecuritySchemes = {
  writeKey: {
    type: 'http',
    scheme: 'basic',
    description:
      "Segment's write key: a key from API_KEYS as the Basic auth user name, with an empty password (what the SDKs send)",
  },
};

const WRITE_KEY_TEXT =
  'The write key goes as the HTTP Basic auth user name (or as a Bearer token) or as `writeKey` in the body; every ' +
  'key presented must be in API_KEYS (none is needed while API_KEYS is unset).';
const bodyText = (limitBytes: number) =>
  'The body is JSON, sent as application/json, as text/plain (browser SDKs do, to skip the CORS preflight), as ' +
  'application/x-www-form-urlencoded (rudder-sdk-node labels its JSON so) or without a Content-Type; it may be ' +
  `compressed with Content-Encoding: gzip. At most ${kb(limitBytes)}, counted ` +
  'after decompression.';

const contentEncoding = {
  name: 'Content-Encoding',
  in: 'header',
  required: false,
  schema: { enum: ['gzip', 'x-gzip', 'identity'] },
  description: 'gzip: the size limit applies to the decompressed bytes',
};

const requestBody = (schemaName: string) => ({
  required: true,
  content: {
    'application/json': { schema: ref(schemaName) },
    'text/plain': { schema: ref(schemaName) },
    'application/x-www-form-urlencoded': { schema: ref(schemaName) },
  },
});

const responses = (limitBytes: number) => ({
  '200': {
    description:
      'Every usable call is confirmed by the broker and will be stored once (its event_id derives from the write ' +
      'key and messageId); the rejected ones are recorded in failed_events',
    content: json('SegmentResult'),
  },
  '400': {
    description:
      'Not JSON, not UTF-8, a malformed envelope, or no usable call (then with success: false and the counts); ' +
      'details lists the problems',
    content: json('SegmentError'),
  },
  '401': {
    ...error('Missing or wrong write key (when API_KEYS is configured)'),
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Basic realm="user-activity"' } },
  },
  '413': error(`Body over ${kb(limitBytes)} after decompression (a gzip bomb stops there)`),
  '415': error('Content-Type is none of the above, or Content-Encoding is not gzip or identity'),
  '503': {
    description:
      'The broker did not confirm every call, or the rejected ones could not be recorded: retry the same request ' +
      '(calls already stored are not stored twice)',
    headers: retryAfter,
    content: json('Error'),
  },
});

const operation = (
  operationId: string,
  summary: string,
  description: string,
  schemaName: string,
  limitBytes: number,
) => ({
  post: {
    operationId,
    summary,
    description,
    security: [{ writeKey: [] }, {}],
    parameters: [contentEncoding],
    requestBody: requestBody(schemaName),
    responses: responses(limitBytes),
  },
});

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const singleCall = (type: SegmentCallType) =>
  operation(
    `segment${upperFirst(type)}`,
    `Segment ${type} call`,
    `One ${type} call of Segment's HTTP Tracking API. ${WRITE_KEY_TEXT} ${bodyText(SEGMENT_MAX_CALL_BYTES)}`,
    'SegmentSingleCall',
    SEGMENT_MAX_CALL_BYTES,
  );

const batch = (operationId: string, summary: string) =>
  operation(
    operationId,
    summary,
    `Up to ${SEGMENT_MAX_BATCH_EVENTS} calls of any type, each at most ${kb(SEGMENT_MAX_CALL_BYTES)}. A call that ` +
      'cannot be stored is recorded in failed_events with its reason ("Segment call <index> cannot be stored: …") ' +
      `and does not stop the others. ${WRITE_KEY_TEXT} ${bodyText(SEGMENT_MAX_BATCH_BYTES)}`,
    'SegmentBatch',
    SEGMENT_MAX_BATCH_BYTES,
  );

const settings = {
  get: {
    operationId: 'getSegmentSettings',
    summary: "Settings for Segment's browser SDK",
    description:
      'What analytics.js 2.0 fetches from `{cdnURL}/v1/projects/{writeKey}/settings` before it sends anything: the ' +
      'Segment.io destination pointed back at this service (its Host, and X-Forwarded-Proto or http), no other ' +
      "destination, metrics off. A site using Segment's snippet moves by setting `analytics._cdn` to this service. " +
      'With API_KEYS set, a write key that is not one of them is 404.',
    parameters: [{ name: 'writeKey', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
    responses: {
      '200': { description: 'The settings', content: json('SegmentSettings') },
      '400': error('The write key is not plain text'),
      '404': error('No source has this write key'),
    },
  },
};

const alias = (path: string) => {
  const long = `/v1/${SEGMENT_SHORT_PATHS[path as keyof typeof SEGMENT_SHORT_PATHS]}`;
  const { post } = long === '/v1/batch' ? batch('segmentBatch', '') : singleCall(long.slice(4) as SegmentCallType);
  return {
    post: {
      ...post,
      operationId: `${post.operationId}Short`,
      summary: `${long}, as Segment's browser SDK (analytics.js 2.0) names it`,
    },
  };
};

export const segmentPaths = {
  ...Object.fromEntries(SEGMENT_CALL_TYPES.map((type) => [`/v1/${type}`, singleCall(type)])),
  '/v1/batch': batch('segmentBatch', 'Segment batch: many calls in one request'),
  '/v1/import': batch('segmentImport', "Segment's synonym of /v1/batch"),
  ...Object.fromEntries(Object.keys(SEGMENT_SHORT_PATHS).map((path) => [`/v1/${path}`, alias(path)])),
  '/v1/projects/{writeKey}/settings': settings,
};
