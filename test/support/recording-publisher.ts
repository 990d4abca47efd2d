import type { ActivityMessage } from '../../lib/activity/activity-schema.js';
import type { QueuedMessage } from '../../lib/activity/queued-message.js';
import { PublishError } from '../../lib/errors.js';
import { createIntake } from '../../lib/intake/intake.js';
import { intakeSteps } from '../../lib/intake/steps.js';
import type { ViolationCount } from '../../lib/plan/violation.js';
import type { ActivityStore, EventPublisher, FailedEvent } from '../../lib/ports.js';

/**
 * A publisher that records what it was given, or fails for the events `fails` picks: a PublishError is reported as
 * the real adapter reports one; any other error is thrown, as an unexpected failure would be.
 */
export const recordingPublisher = (fails: (message: ActivityMessage) => Error | undefined = () => undefined) => {
  const published: ActivityMessage[] = [];
  const publishOne = ({ message }: QueuedMessage): PublishError | undefined => {
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

/** failed_events for a test: kept in an array, or refused as an outage would (`fails`). */
export const recordingFailedEvents = (fails = false) => {
  const kept: FailedEvent[] = [];
  const store: Pick<ActivityStore, 'insertFailedEvents'> = {
    async insertFailedEvents(events) {
      if (fails) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
      kept.push(...events);
      return { inserted: events.length };
    },
  };
  return { kept, store };
};

/** The tracking plan's violation counters for a test: each call's counts kept in an array, or refused (`fails`). */
export const recordingViolationCounts = (fails = false) => {
  const counted: ViolationCount[][] = [];
  const store: Pick<ActivityStore, 'countPlanViolations'> = {
    async countPlanViolations(counts) {
      if (fails) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
      counted.push(counts);
    },
  };
  return { counted, store };
};

/** The intake as the functions get it (lib/runtime/write-dependencies.ts), over the given adapters and the default limits. */
export const testIntake = (
  publisher: EventPublisher,
  failedEvents: Pick<ActivityStore, 'insertFailedEvents'> = recordingFailedEvents().store,
  maxMessageBytes = 64 * 1024,
) => createIntake({ publisher, failedEvents, steps: intakeSteps({ maxMessageBytes }) });
