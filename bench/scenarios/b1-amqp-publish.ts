import { performance } from 'node:perf_hooks';
import type { ConfirmChannel } from 'amqplib';
import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { plan } from '../plan.js';
import { progress } from '../run-log.js';
import { startCpuMeter } from '../support/cpu-meter.js';
import { formatInt } from '../support/figures.js';
import { activityMessage } from '../support/payloads.js';
import type { Bench } from '../types.js';

const PROPERTIES = { persistent: true, mandatory: true, contentType: 'application/json' };

/**
 * Publishes `count` messages the way track does (persistent, mandatory, message id, JSON), each to `queueOf` it,
 * with at most `window` of them awaiting the broker's confirm; resolves when the last is confirmed.
 */
export const publishWindowed = (
  channel: ConfirmChannel,
  queueOf: (message: ActivityMessage) => string,
  id: string,
  count: number,
  window: number,
) =>
  new Promise<void>((resolve, reject) => {
    let [sent, confirmed, waitingForDrain, failed] = [0, 0, false, false];
    const finish = (error?: Error) => {
      channel.off('return', onReturn);
      failed = error !== undefined;
      if (error) reject(error);
      else resolve();
    };
    const onReturn = () => finish(new Error('a queue is missing: a message came back unroutable'));
    const onConfirm = (error: unknown) => {
      if (failed) return;
      if (error) return finish(new Error('the broker refused a message (negative confirm)', { cause: error }));
      confirmed += 1;
      if (confirmed % 10_000 === 0) progress(`  ${id}: ${formatInt(confirmed)}/${formatInt(count)} confirmed`);
      if (confirmed === count) finish();
      else pump();
    };
    const pump = () => {
      for (; !waitingForDrain && sent < count && sent - confirmed < window; sent += 1) {
        const message = activityMessage();
        const properties = { ...PROPERTIES, messageId: message.event_id, timestamp: Math.floor(Date.now() / 1000) };
        const content = Buffer.from(JSON.stringify(message));
        if (!channel.publish('', queueOf(message), content, properties, onConfirm)) {
          waitingForDrain = true;
          channel.once('drain', () => {
            waitingForDrain = false;
            pump();
          });
        }
      }
    };
    channel.on('return', onReturn);
    pump();
  });

/** One plain amqplib publisher: track's message and options on the run's queue, `window` confirms outstanding. */
const measurePublish = async ({ broker, config, log }: Bench, id: string, count: number, window: number) => {
  const cpu = startCpuMeter();
  const begun = performance.now();
  await publishWindowed(broker.channel, () => config.queueName, id, count, window);
  const seconds = (performance.now() - begun) / 1000;
  const rate = count / seconds;
  const details = { messages: count, window, seconds, cpuCores: cpu() };
  const what = `raw amqplib publish, window ${window} confirms`;
  log.add({ id, what, value: rate, unit: 'msg/s', figure: `${formatInt(rate)} msg/s`, details });
};

/**
 * B1: what the broker takes from one publisher, on a queue with the service's topology. B1-w20 keeps P1's
 * concurrency in flight, as track does, and is purged; B1's messages stay on the queue as P3's preload.
 */
export const measureAmqpPublish = async (bench: Bench): Promise<boolean> => {
  await measurePublish(bench, `B1-w${plan.connections}`, plan.narrowWindowMessages, plan.connections);
  await bench.broker.channel.purgeQueue(bench.config.queueName);
  await measurePublish(bench, 'B1', plan.drainMessages, plan.publishWindow);
  return true;
};
