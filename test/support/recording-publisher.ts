import type { ActivityMessage } from '../../lib/activity-schema.js';
import type { EventPublisher } from '../../lib/ports.js';

/** A publisher that records what it was given, or fails (for all, or for the events `fails` picks). */
export const recordingPublisher = (fails: (message: ActivityMessage) => Error | undefined = () => undefined) => {
  const published: ActivityMessage[] = [];
  const publisher: EventPublisher = {
    async publish(message) {
      const failure = fails(message);
      if (failure) throw failure;
      published.push(message);
    },
  };
  return { published, publisher };
};
