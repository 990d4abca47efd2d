import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { toFieldErrors } from '../activity/validation.js';
import { PlanError } from '../errors.js';
import { jsonPath, pointerSegments } from './json-path.js';
import { linearPatterns } from './linear-pattern.js';
import type { Enforcement, TrackingPlanFile, UnplannedAction } from './plan-schema.js';
import { MAX_VIOLATIONS, type PlanViolation, UNPLANNED_RULE } from './violation.js';

/** What the plan says of one event: its violations, and whether they refuse it or only flag it. */
export interface PlanVerdict {
  action: 'pass' | 'flag' | 'reject';
  violations: PlanViolation[];
}

/** A loaded plan: its settings, and a check with every validator compiled once, when the plan was loaded. */
export interface TrackingPlan {
  version: string;
  enforcement: Enforcement;
  unplanned: UnplannedAction;
  /** The event types the plan names. */
  types: string[];
  /** Where its validators were compiled: at build time (precompiled.ts), or when the plan was loaded. */
  compiled: 'build' | 'load';
  /** Checks an event's payload (`metadata`, or a Segment call's properties or traits, named `field` in violations). */
  check(eventType: string, payload: unknown, field: string): PlanVerdict;
}

const PASS: PlanVerdict = { action: 'pass', violations: [] };

const newAjv = (source: boolean) => {
  // strict: an unknown keyword or format is a mistake in the plan, refused at load rather than silently ignored.
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    code: { regExp: linearPatterns, source, lines: false },
  });
  addFormats.default(ajv);
  return ajv;
};

type Walked = Array<{ path: Array<string | number>; pattern: string }>;

/** Every `pattern` and `patternProperties` key of a schema, with where it is. */
const patternsOf = (schema: unknown, path: Array<string | number>, found: Walked = []): Walked => {
  if (typeof schema !== 'object' || schema === null) return found;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') found.push({ path: [...path, key], pattern: value });
    if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      for (const name of Object.keys(value)) found.push({ path: [...path, key, name], pattern: name });
    }
    patternsOf(value, [...path, key], found);
  }
  return found;
};

/** The key the i-th type's schema is added under, which standaloneCode exports it by (precompile.ts). */
export const schemaKey = (index: number): string => `urn:tracking-plan:t${index}`;

const compileOne = (ajv: Ajv2020, schema: object | boolean, key: string, at: Array<string | number>, file: string) => {
  for (const { path, pattern } of patternsOf(schema, at)) {
    try {
      linearPatterns(pattern, 'u');
    } catch (error) {
      throw new PlanError(
        file,
        jsonPath(path),
        `is not a pattern the linear-time engine accepts: ${(error as Error).message}`,
      );
    }
  }
  if (!ajv.validateSchema(schema)) {
    const [problem] = ajv.errors ?? [];
    const path = [...at, ...pointerSegments(problem?.instancePath ?? '')];
    throw new PlanError(file, jsonPath(path), `is not valid JSON Schema: ${problem?.message ?? 'invalid'}`);
  }
  try {
    ajv.addSchema(schema, key);
    return ajv.getSchema(key) as ValidateFunction;
  } catch (error) {
    throw new PlanError(file, jsonPath(at), `does not compile as a JSON Schema: ${(error as Error).message}`);
  }
};

const toViolations = (errors: ErrorObject[], field: string, version: string): PlanViolation[] =>
  errors.slice(0, MAX_VIOLATIONS).flatMap((error) =>
    toFieldErrors([error], [], '').map(({ field: inner, message }) => ({
      field: inner ? `${field}.${inner}` : field,
      rule: error.keyword,
      message,
      plan_version: version,
    })),
  );

/**
 * Compiles every event type's schema, in the plan's order; a schema that does not compile throws a PlanError naming
 * its path. With `source`, the validators keep their code for standaloneCode (precompile.ts).
 */
export const compileValidators = (file: TrackingPlanFile, name: string, source = false) => {
  const ajv = newAjv(source);
  const validators = new Map<string, ValidateFunction>();
  Object.entries(file.events).forEach(([type, entry], index) => {
    const at = ['events', type, 'metadata'];
    validators.set(type, compileOne(ajv, entry.metadata as object | boolean, schemaKey(index), at, name));
  });
  return { ajv, validators };
};

/** Compiles every event type's schema once, when the plan is loaded. */
export const compilePlan = (file: TrackingPlanFile, name: string): TrackingPlan =>
  planOf(file, compileValidators(file, name).validators, 'load');

/** A plan over validators already compiled (here, or at build time: precompiled.ts), one per type of the file. */
export const planOf = (
  file: TrackingPlanFile,
  validators: Map<string, ValidateFunction>,
  compiled: TrackingPlan['compiled'],
): TrackingPlan => {
  const { version } = file;
  const enforcement = file.enforcement ?? 'reject';
  const unplanned = file.unplanned ?? 'allow';
  const unplannedVerdict: PlanVerdict =
    unplanned === 'allow'
      ? PASS
      : {
          action: unplanned,
          violations: [
            {
              field: 'event_type',
              rule: UNPLANNED_RULE,
              message: 'is not in the tracking plan',
              plan_version: version,
            },
          ],
        };
  return {
    version,
    enforcement,
    unplanned,
    types: [...validators.keys()],
    compiled,
    check(eventType, payload, field) {
      const validate = validators.get(eventType);
      if (!validate) return unplannedVerdict;
      if (validate(payload ?? {})) return PASS;
      return { action: enforcement, violations: toViolations(validate.errors ?? [], field, version) };
    },
  };
};
