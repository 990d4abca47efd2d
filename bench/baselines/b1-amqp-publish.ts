import { performance } from 'node:perf_hooks';
import type { ConfirmChannel } from 'amqplib';
import { publishWindowed } from '../support/amqp-publish.js';
import { startCpuMeter } from '../support/cpu-meter.js';
import { activityMessage } from '../support/payloads.js';
import { formatInt, progress } from '../support/progress.js';
import type { Measurement } from '../types.js';

/**
 * B1: what the broker takes from one plain amqplib publisher: track's message and options on the service's queue
 * (quorum, same arguments), with `window` confirms outstanding. `id` names variants with another window.
 */
export const measureAmqpPublish = async (
  channel: ConfirmChannel,
  queue: string,
  { id = 'B1', count, window }: { id?: string; count: number; window: number },
): Promise<Measurement> => {
  const cpu = startCpuMeter();
  const begun = performance.now();
  await publishWindowed(channel, queue, count, window, activityMessage, (confirmed) =>
    progress(`  ${id}: ${formatInt(confirmed)}/${formatInt(count)} confirmed`));
  const seconds = (performance.now() - begun) / 1000;
  const rate = count / seconds;
  return {
    id,
    what: `raw amqplib publish, window ${window} confirms`,
    value: rate,
    unit: 'msg/s',
    figure: `${formatInt(rate)} msg/s`,
    details: { messages: count, window, seconds, cpuCores: cpu() },
  };
};
