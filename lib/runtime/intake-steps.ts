import { getConfig } from '../config.js';
import { type IntakeStep, intakeSteps } from '../intake/steps.js';
import { logger } from '../observability/logger.js';
import type { TrackingPlan } from '../plan/compile-plan.js';
import { loadPlan } from '../plan/load-plan.js';
import type { SuppressionList } from '../privacy/suppression-list.js';

let trackingPlan: TrackingPlan | undefined;

/**
 * The tracking plan TRACKING_PLAN names, loaded and compiled once per process (at the module's start, so a bad plan
 * fails the function's start, not a request); undefined without one.
 */
export const getTrackingPlan = (): TrackingPlan | undefined => {
  const file = getConfig().trackingPlanFile;
  if (file === undefined || trackingPlan !== undefined) return trackingPlan;
  const started = performance.now();
  trackingPlan = loadPlan(file);
  logger.info('tracking plan loaded', {
    plan_version: trackingPlan.version,
    event_types: trackingPlan.types.length,
    validators_compiled: trackingPlan.compiled === 'build' ? 'at build time' : 'at load',
    duration_ms: Math.round(performance.now() - started),
  });
  return trackingPlan;
};

/**
 * The intake's steps for every source: the tracking plan's when there is one, the personal-data rules, and the
 * suppression list where the source reads one (the HTTP sources; persist checks suppression in its transaction).
 */
export const getIntakeSteps = (suppressionList?: SuppressionList): IntakeStep[] => {
  const { maxMessageBytes, personalData } = getConfig();
  return intakeSteps({ maxMessageBytes, personalData, trackingPlan: getTrackingPlan(), suppressionList });
};
