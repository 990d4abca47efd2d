import type { ActivityMessage } from '../activity-schema.js';
import type { Config } from '../config.js';
import { PublishError } from '../errors.js';
import type { EventPublisher } from '../ports.js';
import { withTimeout } from '../with-timeout.js';
import type { ConfirmChannelSource, ConfirmLink } from './confirm-channel.js';

const waitForConfirm = (link: ConfirmLink, queue: string, message: ActivityMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    const id = message.event_id;
    // mandatory: an unroutable message (queue deleted) comes back as basic.return instead of being confirmed
    // and silently dropped. The broker sends the return before the confirm of the same message.
    link.channel.publish('', queue, Buffer.from(JSON.stringify(message)), {
      persistent: true,
      mandatory: true,
      messageId: id,
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
    }, (error: unknown) => {
      const returned = link.returned.get(id) ?? 0;
      if (returned > 0) {
        if (returned === 1) link.returned.delete(id);
        else link.returned.set(id, returned - 1);
        reject(new PublishError(`Queue "${queue}" is missing: the broker returned the event as unroutable`));
      } else if (error) {
        reject(new PublishError('The broker refused the event (negative confirm)', { cause: error }));
      } else {
        resolve();
      }
    });
  });

/** Publishes each event as a persistent message and resolves only on the broker's confirm, within a bound. */
export const createRabbitPublisher = (source: ConfirmChannelSource, config: Config): EventPublisher => ({
  async publish(message) {
    const attempt = async () => {
      let link: ConfirmLink;
      try {
        link = await source.getLink();
      } catch (error) {
        throw new PublishError('The message broker is unreachable', { cause: error });
      }
      await waitForConfirm(link, config.queueName, message);
    };
    await withTimeout(attempt(), config.publishTimeoutMs, () =>
      new PublishError(`The broker did not confirm the event within ${config.publishTimeoutMs} ms`));
  },
});
