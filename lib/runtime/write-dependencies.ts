import { getConfig } from '../config.js';
import { writeAccess } from '../http/access.js';
import { createIntake, type IntakeDependencies, type WriteDependencies } from '../intake/intake.js';
import { getPublisher } from './broker.js';
import { getActivityStore, getSuppressionList } from './database.js';
import { getIntakeSteps, getTrackingPlan } from './intake-steps.js';

/** Where a source that keeps no rejected items would keep them: nowhere. */
export const keepsNoFailedEvents: IntakeDependencies['failedEvents'] = {
  insertFailedEvents: async () => {
    throw new Error('This function keeps no failed events: its source has no keepRejectedAs');
  },
};

/**
 * What every write function gets: the intake (lib/intake) over the process's publisher, and the write keys of
 * API_KEYS. The database serves the suppression list (a small read every few seconds, off the request's path after
 * the first), the counts of the events a tracking plan refuses, and the rejected items a source keeps (`failedEvents`,
 * Segment's).
 */
export const getWriteDependencies = (
  failedEvents: IntakeDependencies['failedEvents'] = keepsNoFailedEvents,
): WriteDependencies => ({
  intake: createIntake({
    publisher: getPublisher(),
    failedEvents,
    steps: getIntakeSteps(getSuppressionList()),
    ...(getTrackingPlan() === undefined
      ? {}
      : { violationCounts: { countPlanViolations: (counts) => getActivityStore().countPlanViolations(counts) } }),
  }),
  access: writeAccess(getConfig()),
});
