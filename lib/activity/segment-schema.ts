import type { FromSchema } from 'json-schema-to-ts';
import { eventTypeSchema, IDENTITY_MAX_LENGTH, plainText } from './activity-schema.js';
import { DATE_TIME_FORMAT } from './iso-date-time.js';

/**
 * Segment's HTTP Tracking API, as its SDKs (and RudderStack's, PostHog's, Jitsu's) send it: the JSON Schemas of a
 * call and of a batch, with the limits Segment documents (issue 10). A call's other fields (`context`,
 * `integrations`, `channel`, …) are allowed and kept in metadata.
 */

export const SEGMENT_MAX_CALL_BYTES = 32 * 1024;
export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;
export const SEGMENT_MAX_BATCH_EVENTS = 2500;
export const SEGMENT_MESSAGE_ID_MAX_LENGTH = 255;

export const SEGMENT_CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number];

/**
 * The short paths Segment's browser SDK (analytics.js 2.0, `@segment/analytics-next`) posts to: a call type's
 * initial, and `b` for a batch (its src/plugins/segmentio/index.ts and batched-dispatcher.ts). Each answers exactly
 * as its long name.
 */
export const SEGMENT_SHORT_PATHS = {
  t: 'track',
  i: 'identify',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
  b: 'batch',
} as const;

/** The event_type each call becomes: a track call's own `event`, the others a `$`-prefixed name of their type. */
export const SEGMENT_EVENT_TYPES: Record<Exclude<SegmentCallType, 'track'>, string> = {
  identify: '$identify',
  page: '$page',
  screen: '$screen',
  group: '$group',
  alias: '$alias',
};

// Segment's SDKs send ids as strings (analytics.js sends `"userId": null` for an anonymous visitor); some clients
// send numbers, which are kept as their decimal text. Null or empty means absent.
const idSchema = {
  type: ['string', 'number', 'null'],
  maxLength: IDENTITY_MAX_LENGTH,
  ...plainText,
} as const;

const timeSchema = { type: 'string', format: DATE_TIME_FORMAT, maxLength: 40 } as const;

export const segmentCallSchema = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { enum: SEGMENT_CALL_TYPES },
    userId: idSchema,
    anonymousId: idSchema,
    previousId: idSchema,
    groupId: idSchema,
    messageId: { type: 'string', minLength: 1, maxLength: SEGMENT_MESSAGE_ID_MAX_LENGTH, ...plainText },
    event: eventTypeSchema,
    timestamp: { ...timeSchema, description: 'When the call happened, by the client clock' },
    originalTimestamp: { ...timeSchema, description: 'The same, as RudderStack names it; wins over timestamp' },
    sentAt: { ...timeSchema, description: 'When the client sent it, by the same clock; enables skew correction' },
    properties: { type: 'object' },
    traits: { type: 'object' },
    context: { type: 'object' },
    integrations: { type: 'object' },
    name: { type: 'string' },
    category: { type: 'string' },
  },
} as const;

export const segmentBatchSchema = {
  type: 'object',
  required: ['batch'],
  properties: {
    batch: { type: 'array', minItems: 1, maxItems: SEGMENT_MAX_BATCH_EVENTS },
    writeKey: { type: 'string' },
    sentAt: timeSchema,
    // Segment applies these to every call of the batch (a call's own fields win).
    context: { type: 'object' },
    integrations: { type: 'object' },
  },
} as const;

export type SegmentCall = FromSchema<typeof segmentCallSchema> & Record<string, unknown>;
export type SegmentBatch = FromSchema<typeof segmentBatchSchema>;
