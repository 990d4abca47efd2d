import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import process from 'node:process';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compileValidators, schemaKey } from './compile-plan.js';
import { parsePlanFile } from './load-plan.js';
import { evaluatePrecompiled, exportName, precompiledPath } from './precompiled.js';

/**
 * Compiles a plan's validators at build time into ajv's standalone code (precompiled.ts), checks that the code
 * evaluates with the runtime it will have, and writes it where loadPlan looks for it (under `root`, the working
 * directory of the functions). Returns the file written, relative to `root`.
 */
export const precompilePlan = (file: string, root = process.cwd()): string => {
  const text = readFileSync(resolve(root, file), 'utf8');
  const code = generatePlanCode(text, file);
  const path = precompiledPath(text);
  mkdirSync(dirname(resolve(root, path)), { recursive: true });
  writeFileSync(resolve(root, path), code);
  return path;
};

/** The standalone code of a plan's validators, checked to evaluate with the runtime it will have. */
export const generatePlanCode = (text: string, file: string): string => {
  const plan = parsePlanFile(text, file);
  const { ajv, validators } = compileValidators(plan, file, true);
  const exports = Object.fromEntries(
    [...validators.keys()].map((_type, index) => [exportName(index), schemaKey(index)]),
  );
  const code = standaloneCode.default(ajv, exports);
  evaluatePrecompiled(code);
  return code;
};
