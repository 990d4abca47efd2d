import { isAbsolute, normalize } from 'node:path';
import { PlanError } from '../lib/errors.js';
import { loadPlan } from '../lib/plan/load-plan.js';

/**
 * What `package.patterns` adds for the tracking plan (TRACKING_PLAN, issue 20): the plan file, so Lambda finds it
 * at the same relative path under /var/task; nothing without a plan. The plan is loaded and compiled here, so a bad
 * one stops `serverless package` and `serverless offline start` (hence `npm start`) before anything runs, naming the
 * file, the JSON path and the reason.
 */
export const trackingPlanPatterns = (file: string): string[] => {
  if (file === '') return [];
  const path = normalize(file);
  if (isAbsolute(path) || path.startsWith('..')) {
    throw new PlanError(file, '$', 'must be a relative path inside the service folder, which is what gets packaged');
  }
  loadPlan(path);
  return [path];
};
