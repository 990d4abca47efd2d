/** The body of `GET /api/v1/stats` (functions/stats/to-stats-body.ts); the tests validate real answers against it. */

const nullable = <T extends object>(schema: T) => ({ oneOf: [schema, { type: 'null' }] }) as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const count = { type: 'integer', minimum: 0 } as const;

export const statsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['queue', 'dead_letters', 'failed_events', 'suppressed', 'stored', 'unavailable'],
  properties: {
    queue: nullable({
      type: 'object',
      description: 'All shards together (name: the first shard, RABBITMQ_QUEUE), and each shard',
      required: ['name', 'messages', 'consumers', 'shards'],
      properties: {
        name: { type: 'string' },
        messages: count,
        consumers: count,
        shards: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'messages', 'consumers'],
            properties: { name: { type: 'string' }, messages: count, consumers: count },
          },
        },
      },
    }),
    dead_letters: nullable({
      type: 'object',
      required: ['name', 'messages', 'shards'],
      properties: {
        name: { type: 'string' },
        messages: count,
        shards: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'messages'],
            properties: { name: { type: 'string' }, messages: count },
          },
        },
      },
    }),
    failed_events: nullable({
      type: 'object',
      required: ['total', 'newest'],
      properties: {
        total: count,
        newest: nullable({
          type: 'object',
          required: ['at', 'reason'],
          properties: { at: isoTime, reason: { type: 'string' } },
        }),
      },
    }),
    plan_violations: nullable({
      type: 'object',
      description:
        'Tracking plan violations (issue 20): refused events counted as answered, flagged ones as stored; by the ' +
        "plan's event types, `(unplanned)` for the others, and the rule that failed",
      required: ['total', 'rejected', 'flagged', 'by_type'],
      properties: {
        total: count,
        rejected: count,
        flagged: count,
        by_type: {
          type: 'array',
          items: {
            type: 'object',
            required: ['event_type', 'rule', 'rejected', 'flagged'],
            properties: { event_type: { type: 'string' }, rule: { type: 'string' }, rejected: count, flagged: count },
          },
        },
      },
    }),
    suppressed: nullable({
      type: 'object',
      description: 'Events of suppressed subjects (regulations), answered as usual and kept nowhere',
      required: ['total'],
      properties: { total: count },
    }),
    stored: nullable({
      type: 'object',
      required: ['total', 'per_minute', 'newest_at', 'newest_age_seconds'],
      properties: {
        total: count,
        per_minute: {
          type: 'array',
          description: 'The last 15 UTC minutes, oldest first, the current (still filling) one last',
          items: { type: 'object', required: ['minute', 'count'], properties: { minute: isoTime, count } },
        },
        newest_at: nullable(isoTime),
        newest_age_seconds: nullable({ type: 'number', minimum: 0 }),
      },
    }),
    unavailable: {
      type: 'array',
      description: 'Sources that did not answer within 2 s; their parts are null',
      items: { enum: ['rabbitmq', 'mysql'] },
    },
  },
} as const;
