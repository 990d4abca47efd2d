import { storedActivitySchema } from './response-schemas.js';

/** JSON Schemas of what the debugger's data endpoints answer; the tests validate real responses against them. */

const rowId = { type: 'integer', minimum: 1, description: 'The row id, assigned in insertion order' } as const;
const storedAt = { type: 'string', format: 'date-time', description: 'When the row was stored (created_at)' } as const;

export const debuggerEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'stored_at', ...storedActivitySchema.required],
  properties: { id: rowId, stored_at: storedAt, ...storedActivitySchema.properties },
} as const;

export const failedEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'stored_at', 'message_id', 'reason', 'raw_body'],
  properties: {
    id: rowId,
    stored_at: storedAt,
    message_id: { type: ['string', 'null'], description: "The AMQP message's message-id property" },
    reason: { type: 'string', description: 'Why persist could never store it' },
    raw_body: { type: 'string', description: 'The message body as received (its first 64 KB)' },
  },
} as const;

const newestFirst = (item: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['data'],
    properties: {
      data: {
        type: 'array',
        description: 'Newest (highest id) first',
        items: { $ref: `#/components/schemas/${item}` },
      },
    },
  }) as const;

export const debuggerEventsSchema = newestFirst('DebuggerEvent');
export const failedEventsSchema = newestFirst('FailedEvent');
