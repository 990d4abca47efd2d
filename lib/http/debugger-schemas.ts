import type { FromSchema } from 'json-schema-to-ts';
import type { IdRange, IdWindow } from '../ports.js';

/** JSON Schemas of the debugger's data requests (`GET /api/v1/debugger/events`, `/failed` and `/failed/{id}`). */

export const DEBUGGER_DEFAULT_LIMIT = 100;
export const DEBUGGER_MAX_LIMIT = 500;
/** Ranges of ids `missing` may name: what a page re-asks for stays a few index probes and a short URL. */
export const DEBUGGER_MAX_MISSING = 20;
/**
 * The largest list answer, in bytes of JSON. A list stops before the row that would go over it (it always holds one
 * row) and says `more`. 256 KB is about 400 rows of previews: a page catches up in a few polls, and one open tab can
 * never again ask a 256 MiB process for 500 rows of 31 KB metadata (15 MB) every second (issue 18).
 */
export const DEBUGGER_ANSWER_MAX_BYTES = 256 * 1024;

// 15 digits stay below 2^53, so an id read as a JavaScript number is exact.
const ROW_ID = '[0-9]{1,15}';
const rowIdMessage = 'must be a row id (an integer from 0 to 999999999999999)';
const rowId = (description: string) =>
  ({ type: 'string', pattern: `^${ROW_ID}$`, description, errorMessage: { pattern: rowIdMessage } }) as const;

const RANGE = `${ROW_ID}(-${ROW_ID})?`;

export const debuggerRequestSchema = {
  type: 'object',
  properties: {
    queryStringParameters: {
      // Absent on AWS when there is no query string; serverless-offline passes null.
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        after: rowId('Only rows with a greater id: what was stored since the last read (the cursor)'),
        before: rowId('Only rows with a smaller id: the next older page'),
        missing: {
          type: 'string',
          pattern: `^${RANGE}(,${RANGE}){0,${DEBUGGER_MAX_MISSING - 1}}$`,
          description:
            `Also the rows (below \`before\`) whose id is in one of these ranges, e.g. \`1201-1203,1250\`: ids at or ` +
            `below \`after\` the reader has not got, because their commit came after a higher id was read or an ` +
            `answer stopped at its size bound; up to ${DEBUGGER_MAX_MISSING} ids or from-to ranges`,
          errorMessage: {
            pattern: `must be up to ${DEBUGGER_MAX_MISSING} row ids or from-to ranges of them, comma separated`,
          },
        },
        limit: {
          type: 'string',
          pattern: '^([1-9][0-9]?|[1-4][0-9]{2}|500)$',
          description: `Rows to return, 1 to ${DEBUGGER_MAX_LIMIT} (default ${DEBUGGER_DEFAULT_LIMIT}); fewer when the answer reaches ${DEBUGGER_ANSWER_MAX_BYTES} bytes`,
          errorMessage: { pattern: `must be an integer from 1 to ${DEBUGGER_MAX_LIMIT}` },
        },
      },
    },
    pathParameters: {
      // Only `GET /api/v1/debugger/failed/{id}` has one.
      type: ['object', 'null'],
      properties: { id: rowId('The failed_events row id, as the list gives it') },
    },
  },
} as const;

export type DebuggerRequestParams = FromSchema<typeof debuggerRequestSchema>;

const toRange = (text: string): IdRange => {
  const [from, to = from] = text.split('-').map(Number) as [number, number?];
  return { from, to };
};

/** Schema-valid strings to the window of ids to read. */
export const toIdWindow = ({ queryStringParameters: query }: DebuggerRequestParams): IdWindow => ({
  limit: query?.limit === undefined ? DEBUGGER_DEFAULT_LIMIT : Number(query.limit),
  ...(query?.after === undefined ? {} : { after: Number(query.after) }),
  ...(query?.before === undefined ? {} : { before: Number(query.before) }),
  ...(query?.missing === undefined ? {} : { missing: query.missing.split(',').map(toRange) }),
});
