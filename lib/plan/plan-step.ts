import type { IntakeStep } from '../intake/steps.js';
import type { TrackingPlan } from './compile-plan.js';

/** The name of the plan's intake step; the intake counts and keeps what it refuses (lib/intake/intake.ts). */
export const PLAN_STEP = 'tracking-plan';

/**
 * The tracking plan as an intake step (issue 20): the event's payload (its metadata, or the Segment call's
 * properties or traits) against the schema of its type. `reject` refuses the event with its violations; `flag` lets
 * it through with them in `plan_violations`, stored with the row.
 */
export const planCheck = (plan: TrackingPlan): IntakeStep => ({
  name: PLAN_STEP,
  apply: (candidate) => {
    const { message, payload } = candidate;
    const value = payload === undefined ? message.metadata : message.metadata?.[payload];
    const verdict = plan.check(message.event_type, value, payload ?? 'metadata');
    if (verdict.action === 'pass') return candidate;
    if (verdict.action === 'reject') return verdict.violations;
    return { message: { ...message, plan_violations: verdict.violations }, payload };
  },
});
