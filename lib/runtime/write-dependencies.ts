import { getConfig } from '../config.js';
import { writeAccess } from '../http/access.js';
import { createIntake, type IntakeDependencies, type WriteDependencies } from '../intake/intake.js';
import { getPublisher } from './broker.js';
import { getIntakeSteps, getTrackingPlan } from './intake-steps.js';

/** Where a source that keeps no rejected items would keep them: nowhere. */
export const keepsNoFailedEvents: IntakeDependencies['failedEvents'] = {
  insertFailedEvents: async () => {
    throw new Error('This function keeps no failed events: its source has no keepRejectedAs');
  },
};

/**
 * The counters of the events the tracking plan refuses (plan_violation_counts), in the database. Imported on first
 * use: esbuild initialises a dynamically imported module only when it is reached, so a function whose events all
 * pass (or that runs without a plan) never starts the driver or opens a pool.
 */
const planViolationCounts: NonNullable<IntakeDependencies['violationCounts']> = {
  countPlanViolations: async (counts) => (await import('./database.js')).getActivityStore().countPlanViolations(counts),
};

/**
 * What every write function gets: the intake (lib/intake) over the process's publisher, and the write keys of
 * API_KEYS. `failedEvents` is the database's store for a source that keeps rejected items (Segment's).
 */
export const getWriteDependencies = (
  failedEvents: IntakeDependencies['failedEvents'] = keepsNoFailedEvents,
): WriteDependencies => ({
  intake: createIntake({
    publisher: getPublisher(),
    failedEvents,
    steps: getIntakeSteps(),
    ...(getTrackingPlan() === undefined ? {} : { violationCounts: planViolationCounts }),
  }),
  access: writeAccess(getConfig()),
});
