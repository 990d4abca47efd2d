import { planViolationSchema, planViolationsSchema } from '../plan/violation.js';

/** JSON Schemas of what the API answers; the tests validate real responses against them. */

/** A field that failed, or (with `rule` and `plan_version`) a violation of the tracking plan (issue 20). */
const fieldError = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'message'],
  properties: {
    field: { type: 'string' },
    message: { type: 'string' },
    rule: {
      ...planViolationSchema.properties.rule,
      description: 'Tracking plan violations only: the rule that failed',
    },
    plan_version: {
      ...planViolationSchema.properties.plan_version,
      description: "Tracking plan violations only: the plan's version",
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['status', 'error', 'message', 'details'],
  properties: {
    status: { type: 'integer' },
    error: { type: 'string', description: 'HTTP reason phrase' },
    message: { type: 'string' },
    details: { type: 'array', items: fieldError },
  },
} as const;

export const acceptedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'event_id'],
  properties: { status: { const: 'accepted' }, event_id: { type: 'string', format: 'uuid' } },
} as const;

export const batchResultSchema = {
  type: 'object',
  required: ['accepted', 'rejected', 'failed', 'results'],
  properties: {
    accepted: { type: 'integer', minimum: 0 },
    rejected: { type: 'integer', minimum: 0, description: 'Events that failed validation' },
    failed: { type: 'integer', minimum: 0, description: 'Valid events the broker did not confirm; retry them' },
    blocked: {
      type: 'integer',
      minimum: 1,
      description: 'Of the rejected, those the tracking plan refused (present only when there are some)',
    },
    results: {
      type: 'array',
      description: 'One entry per event, in request order',
      items: {
        type: 'object',
        required: ['index', 'status'],
        properties: {
          index: { type: 'integer', minimum: 0 },
          event_id: { type: 'string', format: 'uuid' },
          status: { enum: ['accepted', 'rejected', 'failed'] },
          retryable: { type: 'boolean' },
          errors: { type: 'array', items: fieldError },
        },
      },
    },
  },
} as const;

/** What `POST /v1/*` answers (Segment's `{"success":true}`, with the counts of this service). */
export const segmentResultSchema = {
  type: 'object',
  required: ['success', 'accepted', 'rejected'],
  properties: {
    success: { type: 'boolean' },
    accepted: { type: 'integer', minimum: 0, description: 'Calls the broker confirmed; each is stored once' },
    rejected: {
      type: 'integer',
      minimum: 0,
      description: 'Calls that can never be stored, each recorded in failed_events with its reason',
    },
  },
} as const;

export const storedActivitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['event_id', 'user_id', 'event_type', 'timestamp', 'received_at', 'sent_at', 'corrected_at', 'metadata'],
  properties: {
    event_id: { type: 'string', format: 'uuid' },
    user_id: {
      type: 'integer',
      minimum: 0,
      description: '0 when the event names its user only by user_key or anonymous_id (sent through /v1/*)',
    },
    user_key: { type: 'string', description: "A Segment call's userId, as sent; absent for native events" },
    anonymous_id: { type: 'string', description: "A Segment call's anonymousId; absent for native events" },
    event_type: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time', description: 'The client time (occurred_at), UTC' },
    received_at: { type: 'string', format: 'date-time' },
    sent_at: { type: ['string', 'null'], format: 'date-time' },
    corrected_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'timestamp on the server clock: received_at - (sent_at - timestamp); null without sent_at',
    },
    metadata: { type: ['object', 'null'] },
    plan_violations: { ...planViolationsSchema, items: { $ref: '#/components/schemas/PlanViolation' } },
  },
} as const;

export const activityPageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data', 'next_cursor'],
  properties: {
    data: { type: 'array', items: { $ref: '#/components/schemas/StoredActivity' } },
    next_cursor: {
      type: ['string', 'null'],
      description: 'Pass as cursor for the next (older) page; null on the last',
    },
  },
} as const;

export const healthSchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { enum: ['UP', 'DOWN'] },
    checks: { type: 'object', additionalProperties: { enum: ['UP', 'DOWN'] } },
  },
} as const;
