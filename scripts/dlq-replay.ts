/**
 * `npm run dlq:replay [-- --dry-run] [-- --limit N]`: moves dead-lettered events back to the main queue once the
 * cause is fixed. Safe to interrupt: a message leaves the DLQ only after its copy is confirmed on the main queue.
 */

import process from 'node:process';
import { parseArgs } from 'node:util';
import { replayDeadLetters } from '../lib/rabbitmq/replay-dead-letters.js';
import { queuePairs } from '../lib/rabbitmq/topology.js';
import { serviceConfig } from '../tools/env.js';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    limit: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run dlq:replay -- [--dry-run] [--limit N]');
  process.exit(0);
}
const limit = values.limit === undefined ? undefined : Number(values.limit);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
  console.error('--limit must be a positive integer');
  process.exit(2);
}

const bar = (moved: number, total: number) => {
  const width = 30;
  const filled = Math.round((moved / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${moved}/${total} (${Math.floor((moved / total) * 100)}%)`;
};

const config = serviceConfig();
const deadLetterQueues = queuePairs(config)
  .map((pair) => pair.deadLetterQueue)
  .join(', ');
let lastLine = -1;
const result = await replayDeadLetters(config, {
  dryRun: values['dry-run'],
  ...(limit === undefined ? {} : { limit }),
  onProgress: (moved, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r${bar(moved, total)}`);
    else if (Math.floor((moved / total) * 10) !== lastLine || moved === total) {
      lastLine = Math.floor((moved / total) * 10);
      console.log(bar(moved, total));
    }
  },
});
if (process.stdout.isTTY && result.moved > 0) process.stdout.write('\n');
console.log(
  values['dry-run']
    ? `${result.found} message(s) in ${deadLetterQueues}; dry run: nothing moved`
    : `moved ${result.moved} of ${result.found} message(s) from ${deadLetterQueues} back to their queues`,
);
