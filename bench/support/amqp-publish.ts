import type { ConfirmChannel } from 'amqplib';
import type { ActivityMessage } from '../../lib/activity-schema.js';

export interface PublishProgress {
  (confirmed: number): void;
}

/**
 * Publishes `count` messages the way track does (persistent, mandatory, message id, JSON) with at most `window`
 * of them awaiting the broker's confirm; resolves when the last is confirmed.
 */
export const publishWindowed = (
  channel: ConfirmChannel,
  queue: string,
  count: number,
  window: number,
  makeMessage: () => ActivityMessage,
  onProgress: PublishProgress = () => undefined,
): Promise<void> =>
  new Promise((resolvePublish, rejectPublish) => {
    let sent = 0;
    let confirmed = 0;
    let waitingForDrain = false;
    let failed = false;
    const onReturn = () => reject(new Error(`queue "${queue}" is missing: a message came back unroutable`));
    const resolve = () => {
      channel.off('return', onReturn);
      resolvePublish();
    };
    const reject = (error: Error) => {
      channel.off('return', onReturn);
      failed = true;
      rejectPublish(error);
    };
    const onConfirm = (error: unknown) => {
      if (failed) return;
      if (error) {
        reject(new Error('the broker refused a message (negative confirm)', { cause: error }));
        return;
      }
      confirmed += 1;
      if (confirmed % 10_000 === 0) onProgress(confirmed);
      if (confirmed === count) resolve();
      else pump();
    };
    const pump = () => {
      while (!waitingForDrain && sent < count && sent - confirmed < window) {
        const message = makeMessage();
        sent += 1;
        const writable = channel.publish('', queue, Buffer.from(JSON.stringify(message)), {
          persistent: true,
          mandatory: true,
          messageId: message.event_id,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000),
        }, onConfirm);
        if (!writable) {
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
