import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PlanError } from '../errors.js';
import { compilePlan, planOf, type TrackingPlan } from './compile-plan.js';
import { jsonPath, pointerSegments } from './json-path.js';
import { type TrackingPlanFile, trackingPlanSchema } from './plan-schema.js';
import { evaluatePrecompiled, exportName, precompiledPath } from './precompiled.js';

const validateShape = new Ajv2020({ allErrors: false, useDefaults: true, strict: false }).compile(trackingPlanSchema);

/** `at position 123` in a JSON.parse message, as line and column (1-based). */
const whereInText = (text: string, message: string): string => {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `${message.replace(/ in JSON at position \d+.*$/, '')} (line ${line}, column ${column})`;
};

/** Parses a plan's text and checks its shape (not yet its schemas); `file` names it in the errors. */
export const parsePlanFile = (text: string, file: string): TrackingPlanFile => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PlanError(file, '$', `is not valid JSON: ${whereInText(text, (error as Error).message)}`);
  }
  if (!validateShape(parsed)) {
    const [problem] = validateShape.errors ?? [];
    const segments = pointerSegments(problem?.instancePath ?? '');
    const params = (problem?.params ?? {}) as Record<string, unknown>;
    const child = params.missingProperty ?? params.additionalProperty ?? params.propertyName;
    if (typeof child === 'string') segments.push(child);
    const reason = params.additionalProperty !== undefined ? 'is not a plan field' : problem?.message;
    throw new PlanError(file, jsonPath(segments), reason ?? 'is invalid');
  }
  return parsed as TrackingPlanFile;
};

/** Parses and checks a plan's text and compiles it; throws a PlanError naming where and why. */
export const parsePlan = (text: string, file: string): TrackingPlan => compilePlan(parsePlanFile(text, file), file);

/** The plan over the validators compiled at build time for exactly this text, if they are there. */
const precompiledPlan = (text: string, file: string): TrackingPlan | undefined => {
  const path = resolve(precompiledPath(text));
  if (!existsSync(path)) return undefined;
  const plan = parsePlanFile(text, file);
  const exports = evaluatePrecompiled(readFileSync(path, 'utf8'));
  const validators = new Map(Object.keys(plan.events).map((type, index) => [type, exports[exportName(index)]]));
  if ([...validators.values()].some((validate) => typeof validate !== 'function')) return undefined;
  return planOf(plan, validators as Map<string, NonNullable<(typeof exports)[string]>>, 'build');
};

/**
 * Reads the plan file TRACKING_PLAN names (relative to the working directory, as on Lambda: /var/task), with the
 * validators compiled for it at build time when they are there (precompile.ts), else compiling them now.
 */
export const loadPlan = (file: string): TrackingPlan => {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (error) {
    throw new PlanError(file, '$', `cannot be read: ${(error as Error).message}`);
  }
  return precompiledPlan(text, file) ?? parsePlan(text, file);
};
