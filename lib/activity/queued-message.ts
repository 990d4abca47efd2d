import type { FieldError } from '../errors.js';
import type { ActivityMessage } from './activity-schema.js';
import { checkActivityMessage } from './validation.js';

/** A message as it travels on the queue: the event and its JSON bytes, serialised once. */
export interface QueuedMessage {
  message: ActivityMessage;
  body: Buffer;
}

// JSON.stringify writes an unpaired surrogate as a \ud800-\udfff escape, and nothing else as one; a backslash of the
// text itself is doubled, so an escape is a `\u` behind an even number of backslashes. The JSON columns of MariaDB
// and MySQL refuse such escapes ("CONSTRAINT failed"), which would fail the whole batch on every delivery.
const UNPAIRED_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89a-f]/;

// Where the unpaired surrogate is (rare: only once the escape was seen). Iterative: depth is bounded by the schema,
// but nothing here should recurse on a client's data.
const pathOfUnpairedSurrogate = (value: unknown): string => {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string' && !current.isWellFormed()) return path || '(event)';
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (!key.isWellFormed()) return childPath;
      stack.push([child, childPath]);
    }
  }
  return '(event)';
};

/**
 * Every rule a queued message must meet to be stored. persist applies it to each message it reads, and the intake to
 * each message before publishing it, so an event answered "accepted" is never poison (issue 16).
 */
export const checkQueuedMessage = (value: unknown, text: string, bytes: number, maxBytes: number): FieldError[] => {
  if (bytes > maxBytes) {
    return [
      { field: '(event)', message: `is ${bytes} bytes as a queued message, over the limit of ${maxBytes} bytes` },
    ];
  }
  const problems = checkActivityMessage(value);
  if (problems.length > 0 || !UNPAIRED_SURROGATE_ESCAPE.test(text)) return problems;
  return [
    {
      field: pathOfUnpairedSurrogate(value),
      message:
        'must not contain an unpaired surrogate (\\ud800 to \\udfff without its pair), which JSON columns refuse',
    },
  ];
};
