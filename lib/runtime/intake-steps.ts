import { getConfig } from '../config.js';
import { type IntakeStep, intakeSteps } from '../intake/steps.js';
import { logger } from '../observability/logger.js';
import type { TrackingPlan } from '../plan/compile-plan.js';
import { loadPlan } from '../plan/load-plan.js';

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

/** The intake's steps for every source, the tracking plan's among them when there is one. */
export const getIntakeSteps = (): IntakeStep[] =>
  intakeSteps({ maxMessageBytes: getConfig().maxMessageBytes, trackingPlan: getTrackingPlan() });
