import type { FromSchema } from 'json-schema-to-ts';
import { planViolationsSchema } from '../plan/violation.js';
import { DATE_TIME_FORMAT } from './iso-date-time.js';

/**
 * The JSON Schemas of an activity event: what a client sends (`trackRequestSchema`) and what travels on the queue
 * (`activityMessageSchema`). The TypeScript types are derived from them, so validator and types cannot drift.
 */

export const MAX_USER_ID = Number.MAX_SAFE_INTEGER;
/** A user_id written as decimal text (a path parameter, a Segment userId): 1 to 16 digits, no leading zero. */
export const USER_ID_TEXT_PATTERN = '^[1-9][0-9]{0,15}$';
export const MAX_METADATA_DEPTH = 10;
export const EVENT_TYPE_MAX_LENGTH = 64;
export const MAX_BATCH_EVENTS = 500;

/**
 * An event_id: exactly the 36-character 8-4-4-4-12 form (any case; stored lower-cased). Not ajv-formats' "uuid",
 * which also accepts a "urn:uuid:" prefix: such an id would be answered 202 and then not fit the CHAR(36) column.
 */
export const uuidSchema = {
  type: 'string',
  pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
  errorMessage: { pattern: 'must be a UUID (8-4-4-4-12 hexadecimal digits)' },
} as const;

const scalar = ['string', 'number', 'boolean', 'null'] as const;
const container = [...scalar, 'object', 'array'] as const;

/**
 * JSON Schema has no depth keyword, so the bound is unrolled: `level<n>` admits containers whose children are
 * `level<n-1>`, and `level0` admits only scalars. The metadata object itself is level MAX_METADATA_DEPTH.
 */
// Keys that turn into prototype pollution in whatever later merges the metadata into an object.
const safeKey = {
  not: { enum: ['__proto__', 'constructor', 'prototype'] },
  errorMessage: 'must not use the reserved key names __proto__, constructor or prototype',
};

const buildMetadataSchema = () => {
  const defs: Record<string, object> = {
    level0: {
      type: scalar,
      errorMessage: { type: `must not nest objects or arrays more than ${MAX_METADATA_DEPTH} levels deep` },
    },
  };
  for (let n = 1; n < MAX_METADATA_DEPTH; n += 1) {
    const child = { $ref: `#/$defs/level${n - 1}` };
    defs[`level${n}`] = { type: container, items: child, additionalProperties: child, propertyNames: safeKey };
  }
  return {
    $id: 'urn:user-activity:metadata',
    type: 'object',
    description: `Free-form JSON object, nested at most ${MAX_METADATA_DEPTH} levels deep`,
    additionalProperties: { $ref: `#/$defs/level${MAX_METADATA_DEPTH - 1}` },
    propertyNames: safeKey,
    $defs: defs,
  };
};

// The runtime schema is the unrolled one above; for the derived type it is simply "a JSON object".
export const metadataSchema = buildMetadataSchema() as unknown as { readonly type: 'object' };

/**
 * For names and ids that end up in columns, logs and the debugger: any text but C0 and C1 controls, bidirectional
 * overrides and marks (U+202E shows an id reversed), zero-width characters and the BOM (two ids that look the same),
 * and unpaired surrogates, which UTF-8 cannot carry: the database would store U+FFFD, so two different ids would
 * become one. ajv compiles patterns with the `u` flag, under which [\uD800-\uDFFF] matches only a lone surrogate.
 */
export const plainText = {
  pattern:
    '^[^\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\uFEFF\\uD800-\\uDFFF]*$',
  errorMessage: {
    pattern: 'must not contain control, bidirectional, zero-width or unpaired surrogate characters',
  },
} as const;

export const eventTypeSchema = {
  type: 'string',
  minLength: 1,
  maxLength: EVENT_TYPE_MAX_LENGTH,
  ...plainText,
} as const;

const eventProperties = {
  event_id: { ...uuidSchema, description: 'Idempotency key; assigned by the server when absent' },
  user_id: { type: 'integer', minimum: 1, maximum: MAX_USER_ID },
  event_type: eventTypeSchema,
  timestamp: {
    type: 'string',
    format: DATE_TIME_FORMAT,
    maxLength: 40,
    description: 'When the event happened, by the client clock: ISO-8601 date-time; without an offset it is UTC',
  },
  sent_at: {
    type: 'string',
    format: DATE_TIME_FORMAT,
    maxLength: 40,
    description: 'When the client sent the request, by the same clock as timestamp; enables skew correction',
  },
  metadata: metadataSchema,
} as const;

export const trackRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'event_type', 'timestamp'],
  properties: eventProperties,
} as const;

/** The batch envelope; each event is validated on its own against trackRequestSchema, so one bad event rejects only itself. */
export const batchRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  properties: {
    events: { type: 'array', minItems: 1, maxItems: MAX_BATCH_EVENTS },
    sent_at: { ...eventProperties.sent_at, description: 'Default sent_at for events that have none' },
  },
} as const;

export const IDENTITY_MAX_LENGTH = 255;

/** A Segment-format identity (`userId` as a string, `anonymousId`): any text up to 255 characters, no control characters. */
const identitySchema = (description: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength: IDENTITY_MAX_LENGTH,
    ...plainText,
    description,
  }) as const;

const messageShape = {
  type: 'object',
  additionalProperties: false,
  required: ['event_id', 'user_id', 'event_type', 'timestamp', 'received_at'],
  properties: {
    ...eventProperties,
    event_id: uuidSchema,
    // 0 when the event names its user only by the identities below (a Segment call with a non-numeric userId).
    user_id: { type: 'integer', minimum: 0, maximum: MAX_USER_ID },
    user_key: identitySchema("The Segment call's userId, as sent"),
    anonymous_id: identitySchema("The Segment call's anonymousId"),
    received_at: { type: 'string', format: DATE_TIME_FORMAT, maxLength: 40 },
    // An event the tracking plan flagged (enforcement or unplanned `flag`), stored with its violations.
    plan_violations: planViolationsSchema,
  },
} as const;

/**
 * What travels on the queue: the event as track (or the Segment endpoints) accepted it, with its identities. Every
 * message names its user (a user_id of at least 1, a user_key or an anonymous_id): checkActivityMessage checks
 * that rule, which a strict JSON Schema cannot state over optional properties.
 */
export const activityMessageSchema = messageShape;

/**
 * A message as other producers put it on the queue: the original service's documented schema (`user_id`,
 * `event_type`, `timestamp`, `metadata`), without the `received_at` that track adds and with an `event_id` only if
 * the producer names its events itself. Jackson writes an absent metadata as null.
 */
export const producerMessageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'event_type', 'timestamp'],
  properties: {
    event_id: uuidSchema,
    user_id: eventProperties.user_id,
    event_type: eventProperties.event_type,
    timestamp: eventProperties.timestamp,
    metadata: { anyOf: [metadataSchema, { type: 'null' }] },
  },
} as const;

export type TrackRequest = FromSchema<typeof trackRequestSchema>;
export type ProducerMessage = FromSchema<typeof producerMessageSchema>;
export type BatchRequest = FromSchema<typeof batchRequestSchema>;
export type ActivityMessage = FromSchema<typeof activityMessageSchema>;
