import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import { PublishError } from '../../lib/errors.js';
import type { EventPublisher } from '../../lib/ports.js';

/**
 * A publisher that records what it was given, or fails for the events `fails` picks: a PublishError is reported as
 * the real adapter reports one; any other error is thrown, as an unexpected failure would be.
 */
export const recordingPublisher = (fails: (message: ActivityMessage) => Error | undefined = () => undefined) => {
  const published: ActivityMessage[] = [];
  const publishOne = (message: ActivityMessage): PublishError | undefined => {
    const failure = fails(message);
    if (failure && !(failure instanceof PublishError)) throw failure;
    if (!failure) published.push(message);
    return failure;
  };
  const publisher: EventPublisher = {
    async publish(message) {
      const failure = publishOne(message);
      if (failure) throw failure;
    },
    async publishAll(messages) {
      return messages.map(publishOne);
    },
  };
  return { published, publisher };
};
