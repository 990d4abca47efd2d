import { DEBUGGER_ANSWER_MAX_BYTES } from '../http/debugger-schemas.js';
import { DEBUGGER_PREVIEW_CHARS } from '../ports.js';
import { storedActivitySchema } from './response-schemas.js';

/** JSON Schemas of what the debugger's data endpoints answer; the tests validate real responses against them. */

const rowId = { type: 'integer', minimum: 1, description: 'The row id, assigned in insertion order' } as const;
const storedAt = { type: 'string', format: 'date-time', description: 'When the row was stored (created_at)' } as const;
const preview = (of: string) =>
  ({
    type: 'string',
    maxLength: DEBUGGER_PREVIEW_CHARS,
    description: `The first ${DEBUGGER_PREVIEW_CHARS} characters of ${of}`,
  }) as const;
const truncated = (whole: string) =>
  ({ type: 'boolean', description: `A preview was cut: ${whole} has the whole row` }) as const;

const { metadata: _metadata, ...activityFields } = storedActivitySchema.properties;

export const debuggerEventPreviewSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'stored_at',
    ...storedActivitySchema.required.filter((field) => field !== 'metadata'),
    'metadata_preview',
    'truncated',
  ],
  properties: {
    id: rowId,
    stored_at: storedAt,
    ...activityFields,
    metadata_preview: {
      ...preview('the metadata as JSON text (as the database writes it)'),
      type: ['string', 'null'],
    },
    truncated: truncated('GET /api/v1/events/{event_id}'),
  },
} as const;

const failedEventFields = {
  id: rowId,
  stored_at: storedAt,
  message_id: { type: ['string', 'null'], description: "The AMQP message's message-id property" },
} as const;

export const failedEventPreviewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'stored_at', 'message_id', 'reason_preview', 'raw_body_preview', 'truncated'],
  properties: {
    ...failedEventFields,
    reason_preview: preview('why persist could never store it'),
    raw_body_preview: preview('the message body as received'),
    truncated: truncated('GET /api/v1/debugger/failed/{id}'),
  },
} as const;

export const failedEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'stored_at', 'message_id', 'reason', 'raw_body'],
  properties: {
    ...failedEventFields,
    reason: { type: 'string', description: 'Why persist could never store it' },
    raw_body: { type: 'string', description: 'The message body as received (its first 64 KB)' },
  },
} as const;

const newestFirst = (item: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: ['data', 'more'],
    properties: {
      data: {
        type: 'array',
        description: `Newest (highest id) first; at most ${DEBUGGER_ANSWER_MAX_BYTES} bytes of JSON in all`,
        items: { $ref: `#/components/schemas/${item}` },
      },
      more: {
        type: 'boolean',
        description:
          'Rows of the window were left out, at the limit or the size bound: they are the ones below the last row ' +
          '(read them with `before` = its id, or as `missing`)',
      },
    },
  }) as const;

export const debuggerEventsSchema = newestFirst('DebuggerEventPreview');
export const failedEventsSchema = newestFirst('FailedEventPreview');
