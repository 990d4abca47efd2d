import type { QueuedMessage } from '../activity/queued-message.js';
import type { FieldError } from '../errors.js';
import { isMessage, type Mapped } from './mapped.js';
import type { Candidate, IntakeStep } from './steps.js';

/** A mapped item after the intake's steps: ready for the queue, or why not. */
export type Checked = { queued: QueuedMessage } | { errors: FieldError[]; refusedBy?: string };

/** Runs an item through the steps in order; the first that refuses it ends its way, and is named in `refusedBy`. */
export const runSteps = (steps: IntakeStep[], item: Mapped): Checked => {
  if (!isMessage(item)) return { errors: item.errors };
  let candidate: Candidate = { message: item.message, payload: item.payload };
  for (const step of steps) {
    const result = step.apply(candidate);
    if (Array.isArray(result)) return { errors: result, refusedBy: step.name };
    candidate = result;
  }
  if (candidate.body === undefined) throw new Error('The last intake step must be storable: nothing encoded the event');
  return { queued: { message: candidate.message, body: candidate.body } };
};
