import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, normalize } from 'node:path';
import process from 'node:process';
import { PlanError } from '../lib/errors.js';
import { parsePlan } from '../lib/plan/load-plan.js';

/**
 * What `package.patterns` adds for the tracking plan (TRACKING_PLAN, issue 20): the plan file, so Lambda finds it
 * at the same relative path under /var/task, and its validators compiled here (lib/plan/precompile.ts), so a cold
 * start evaluates them instead of compiling them; nothing without a plan. Compiling here also means a bad plan stops
 * `serverless package` and `serverless offline start` (hence `npm start`) before anything runs, naming the file, the
 * JSON path and the reason.
 */
export const trackingPlanPatterns = (file: string): string[] => {
  if (file === '') return [];
  const path = normalize(file);
  if (isAbsolute(path) || path.startsWith('..')) {
    throw new PlanError(file, '$', 'must be a relative path inside the service folder, which is what gets packaged');
  }
  // Checked here, so that its problem is this process's error; compiled to code in a process of its own, where ajv's
  // modules are loaded once (osls and tsx's loader here may each hold a copy, whose code objects do not mix).
  parsePlan(readFileSync(path, 'utf8'), path);
  const compiled = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/plan.ts', 'compile', path], {
    encoding: 'utf8',
  }).trim();
  return [path, compiled];
};
