import type { ActivityMessage } from '../activity/activity-schema.js';
import type { QueuedMessage } from '../activity/queued-message.js';
import type { Config } from '../config.js';
import { PublishError } from '../errors.js';
import type { EventPublisher } from '../ports.js';
import type { ConfirmChannelSource, ConfirmLink } from './confirm-channel.js';
import { shardKeyOf, shardOf, shardQueueNames } from './shards.js';

type Outcome = PublishError | undefined;
const PENDING = Symbol('pending');

/**
 * Publishes one message and reports the broker's answer. mandatory: an unroutable message (queue deleted) comes back
 * as basic.return instead of being confirmed and silently dropped; the broker sends the return before the confirm.
 */
const sendMessage = (
  link: ConfirmLink,
  queue: string,
  { message, body }: QueuedMessage,
  done: (outcome: Outcome) => void,
): void => {
  const id = message.event_id;
  try {
    link.channel.publish(
      '',
      queue,
      body,
      {
        persistent: true,
        mandatory: true,
        messageId: id,
        contentType: 'application/json',
        timestamp: Math.floor(Date.now() / 1000),
      },
      (error: unknown) => {
        const returned = link.returned.get(id) ?? 0;
        if (returned > 0) {
          if (returned === 1) link.returned.delete(id);
          else link.returned.set(id, returned - 1);
          done(new PublishError(`Queue "${queue}" is missing: the broker returned the event as unroutable`));
        } else {
          done(
            error ? new PublishError('The broker refused the event (negative confirm)', { cause: error }) : undefined,
          );
        }
      },
    );
  } catch (error) {
    // The channel closed between getLink and publish.
    done(new PublishError('The message broker is unreachable', { cause: error }));
  }
};

/**
 * Publishes events as persistent messages and reports, for each, the broker's confirm or why there is none. One
 * bound (PUBLISH_TIMEOUT_MS) covers connecting and every confirm of the call, so a batch of 500 costs one timer,
 * not 500, and never waits longer than a single event would.
 */
export const createRabbitPublisher = (source: ConfirmChannelSource, config: Config): EventPublisher => {
  const queues = shardQueueNames(config.queueName, config.rabbitmqShards);
  // One user's events always take the same queue, so they are consumed, and stored, in the order they were accepted.
  const queueOf = (message: ActivityMessage): string =>
    queues[shardOf(shardKeyOf(message), queues.length)] ?? config.queueName;
  const publishAll = (messages: QueuedMessage[]): Promise<Outcome[]> =>
    new Promise((resolve) => {
      if (messages.length === 0) {
        resolve([]);
        return;
      }
      const outcomes: Array<Outcome | typeof PENDING> = messages.map(() => PENDING);
      let pending = messages.length;
      let finished = false;
      const finish = () => {
        finished = true;
        clearTimeout(timer);
        // Made only when something timed out: an error captures a stack, which costs every request if made always.
        const timedOut = outcomes.includes(PENDING)
          ? new PublishError(`The broker did not confirm the event within ${config.publishTimeoutMs} ms`)
          : undefined;
        resolve(outcomes.map((outcome) => (outcome === PENDING ? (timedOut as PublishError) : outcome)));
      };
      const settle = (index: number, outcome: Outcome) => {
        if (finished || outcomes[index] !== PENDING) return;
        outcomes[index] = outcome;
        pending -= 1;
        if (pending === 0) finish();
      };
      const timer = setTimeout(finish, config.publishTimeoutMs);
      source.getLink().then(
        (link) => {
          if (finished) return;
          messages.forEach((message, index) => {
            sendMessage(link, queueOf(message.message), message, (outcome) => settle(index, outcome));
          });
        },
        (cause: unknown) => {
          const unreachable = new PublishError('The message broker is unreachable', { cause });
          messages.forEach((_, index) => {
            settle(index, unreachable);
          });
        },
      );
    });

  return {
    publishAll,
    async publish(message) {
      const [outcome] = await publishAll([message]);
      if (outcome) throw outcome;
    },
  };
};
