import type { ActivityMessage } from '../activity/activity-schema.js';
import type { QueuedMessage } from '../activity/queued-message.js';
import type { FieldError } from '../errors.js';
import { isMessage, type Mapped } from './mapped.js';
import type { Candidate, IntakeStep } from './steps.js';

/**
 * A mapped item after the intake's steps: ready for the queue, why not (and which step said so), or suppressed
 * (answered, kept nowhere).
 */
export type Checked =
  | { queued: QueuedMessage }
  | { errors: FieldError[]; refusedBy?: string }
  | { suppressed: ActivityMessage };

/** Runs an item through the steps in order; the first that refuses it ends its way, and is named in `refusedBy`. */
export const runSteps = (steps: IntakeStep[], item: Mapped): Checked => {
  if (!isMessage(item)) return { errors: item.errors };
  let candidate: Candidate = { message: item.message, payload: item.payload, encodedMetadata: item.encodedMetadata };
  for (const step of steps) {
    const result = step.apply(candidate);
    if (Array.isArray(result)) return { errors: result, refusedBy: step.name };
    if (result.suppressed) return { suppressed: result.message };
    candidate = result;
  }
  if (candidate.body === undefined) throw new Error('The last intake step must be storable: nothing encoded the event');
  return { queued: { message: candidate.message, body: candidate.body } };
};

/** An item kept as sent, as the steps that must reach failed_events too leave it (personal-data). */
export const scrubOriginal = (steps: IntakeStep[], original: unknown): unknown =>
  steps.reduce((value, step) => (step.scrubOriginal ? step.scrubOriginal(value) : value), original);

/** Whether every step lets an item be kept as sent (a suppressed subject's is not). */
export const keepsOriginal = (steps: IntakeStep[], original: unknown): boolean =>
  steps.every((step) => step.keepsOriginal === undefined || step.keepsOriginal(original));
