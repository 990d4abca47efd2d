import type { ActivityMessage } from '../activity/activity-schema.js';
import { checkQueuedMessage } from '../activity/queued-message.js';
import type { FieldError } from '../errors.js';
import type { TrackingPlan } from '../plan/compile-plan.js';
import { planCheck } from '../plan/plan-step.js';

/** An event between two steps; `body` is its queued bytes once the storable step has encoded it. */
export interface Candidate {
  message: ActivityMessage;
  body?: Buffer;
  /** The metadata field that is the event's payload (a Segment call's `properties` or `traits`); absent: all of it. */
  payload?: string;
}

/**
 * One step of the intake. A step that changes the message returns a candidate without `body`, so the bytes that
 * are checked are always the bytes that are published.
 */
export interface IntakeStep {
  readonly name: string;
  apply(candidate: Candidate): Candidate | FieldError[];
}

/**
 * `storable`: the rules persist applies to what it reads (size, schema, what the JSON columns accept), applied to
 * the bytes about to be published, so an event answered "accepted" is never poison. Always the last step.
 */
export const storable = (maxMessageBytes: number): IntakeStep => ({
  name: 'storable',
  apply: ({ message }) => {
    const text = JSON.stringify(message);
    const body = Buffer.from(text);
    const problems = checkQueuedMessage(message, text, body.length, maxMessageBytes);
    return problems.length > 0 ? problems : { message, body };
  },
});

/**
 * The steps every event takes, whatever its source, in order. A new rule for every event (a tracking-plan check, a
 * privacy transform) is one entry before `storable`.
 */
export const intakeSteps = ({
  maxMessageBytes,
  trackingPlan,
}: {
  maxMessageBytes: number;
  trackingPlan?: TrackingPlan;
}): IntakeStep[] => [...(trackingPlan ? [planCheck(trackingPlan)] : []), storable(maxMessageBytes)];
