import { getConfig } from '../config.js';
import { writeAccess } from '../http/access.js';
import { createIntake, type IntakeDependencies, type WriteDependencies } from '../intake/intake.js';
import { intakeSteps } from '../intake/steps.js';
import { getPublisher } from './broker.js';

/** Where a source that keeps no rejected items would keep them: nowhere, so track and batch bundle no database. */
export const keepsNoFailedEvents: IntakeDependencies['failedEvents'] = {
  insertFailedEvents: async () => {
    throw new Error('This function keeps no failed events: its source has no keepRejectedAs');
  },
};

/**
 * What every write function gets: the intake (lib/intake) over the process's publisher, and the write keys of
 * API_KEYS. `failedEvents` is the database's store for a source that keeps rejected items (Segment's).
 */
export const getWriteDependencies = (
  failedEvents: IntakeDependencies['failedEvents'] = keepsNoFailedEvents,
): WriteDependencies => ({
  intake: createIntake({ publisher: getPublisher(), failedEvents, steps: intakeSteps(getConfig()) }),
  access: writeAccess(getConfig()),
});
