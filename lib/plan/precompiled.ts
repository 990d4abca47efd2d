import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import equal from 'fast-deep-equal';
import uri from 'fast-uri';
import { linearPatterns } from './linear-pattern.js';

/**
 * A plan's validators compiled at build time (issue 20): ajv's standalone code, written beside the service by
 * `serverless package` and `serverless offline start` (deploy/tracking-plan.ts) and packaged with the plan. Compiling
 * a 500-type plan takes ajv about a second; evaluating its code, tens of milliseconds. The file is named by a hash
 * of the plan's text, so a plan edited since is compiled afresh at start instead of checked by stale code.
 */
export const PRECOMPILED_DIR = '.tracking-plan';
// Bumped when the generated code's contract changes (the runtime below, the export names).
const FORMAT = 'v1';

export const precompiledPath = (planText: string): string =>
  `${PRECOMPILED_DIR}/${createHash('sha256').update(`${FORMAT}\n${planText}`).digest('hex').slice(0, 32)}.cjs`;

// Counts code points as ajv's own ucs2length does (its module is CommonJS with an `__esModule` default, which Node
// and esbuild import differently): what minLength and maxLength count.
const ucs2length = (text: string): number => {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
};

/** What the generated code may require: ajv's runtime helpers and ajv-formats' formats, bundled with this module. */
const RUNTIME: Record<string, unknown> = {
  'ajv/dist/runtime/ucs2length': { default: ucs2length },
  'ajv/dist/runtime/equal': { default: equal },
  'ajv/dist/runtime/uri': { default: uri },
  'ajv-formats/dist/formats': { fullFormats },
};

const runtimeRequire = (id: string): unknown => {
  const module = RUNTIME[id];
  if (module === undefined) throw new Error(`precompiled plan code requires ${id}, which is not provided`);
  return module;
};

/** The export name of the validator of the i-th event type of the plan (types are not always JavaScript names). */
export const exportName = (index: number): string => `t${index}`;

/** Evaluates generated code; its validators by export name. */
export const evaluatePrecompiled = (code: string): Record<string, ValidateFunction> => {
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('require', 'module', 'exports', 'linearPatterns', code)(
    runtimeRequire,
    module,
    module.exports,
    linearPatterns,
  );
  return module.exports;
};
