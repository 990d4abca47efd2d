/** JSON Schemas of what the API answers; the tests validate real responses against them. */

const fieldError = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'message'],
  properties: { field: { type: 'string' }, message: { type: 'string' } },
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

export const storedActivitySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['event_id', 'user_id', 'event_type', 'timestamp', 'received_at', 'sent_at', 'corrected_at', 'metadata'],
  properties: {
    event_id: { type: 'string', format: 'uuid' },
    user_id: { type: 'integer' },
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
