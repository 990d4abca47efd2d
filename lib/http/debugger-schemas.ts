import type { FromSchema } from 'json-schema-to-ts';
import type { IdWindow } from '../ports.js';

/** JSON Schema of the debugger's data requests (`GET /api/v1/debugger/events` and `/failed`). */

export const DEBUGGER_DEFAULT_LIMIT = 100;
export const DEBUGGER_MAX_LIMIT = 500;

// 15 digits stay below 2^53, so an id read as a JavaScript number is exact.
const rowId = (description: string) =>
  ({
    type: 'string',
    pattern: '^[0-9]{1,15}$',
    description,
    errorMessage: { pattern: 'must be a row id (an integer from 0 to 999999999999999)' },
  }) as const;

export const debuggerListRequestSchema = {
  type: 'object',
  properties: {
    queryStringParameters: {
      // Absent on AWS when there is no query string; serverless-offline passes null.
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        after: rowId('Only rows with a greater id: what was stored since the last read'),
        before: rowId('Only rows with a smaller id: the next older page'),
        limit: {
          type: 'string',
          pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$',
          description: `Rows to return, 1 to ${DEBUGGER_MAX_LIMIT} (default ${DEBUGGER_DEFAULT_LIMIT})`,
          errorMessage: { pattern: `must be an integer from 1 to ${DEBUGGER_MAX_LIMIT}` },
        },
      },
    },
  },
} as const;

export type DebuggerListParams = FromSchema<typeof debuggerListRequestSchema>;

/** Schema-valid strings to the window of ids to read. */
export const toIdWindow = ({ queryStringParameters: query }: DebuggerListParams): IdWindow => ({
  limit: query?.limit === undefined ? DEBUGGER_DEFAULT_LIMIT : Number(query.limit),
  ...(query?.after === undefined ? {} : { after: Number(query.after) }),
  ...(query?.before === undefined ? {} : { before: Number(query.before) }),
});
