import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';
import { precompilePlan } from '../../lib/plan/precompile.js';
import { PRECOMPILED_DIR } from '../../lib/plan/precompiled.js';
import { BIG_PLAN_PROPERTIES, BIG_PLAN_TYPES, writeBigPlan } from '../support/big-plan.js';
import type { Measurement } from '../types.js';

const RUNS = 7;
// As serverless.yml's custom.esbuild bundles each function for Lambda, and as its NODE_OPTIONS runs it.
const BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";
const NODE_OPTIONS = '--enable-source-maps';

type Variant = 'no plan' | 'plan, validators compiled at build time' | 'plan, validators compiled at load';

/** Milliseconds a fresh Node process takes to import the bundled track handler (which builds its intake). */
const importOnce = (folder: string, env: Record<string, string>): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(join(folder, 'track.mjs'))}); process.stderr.write('COLD ' + (performance.now() - t) + '\\n'); process.exit(0);`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: folder,
    env: { PATH: process.env.PATH, NODE_OPTIONS, LOG_LEVEL: 'WARN', METRICS_OUTPUT: 'off', ...env },
    encoding: 'utf8',
  });
  const match = /COLD ([\d.]+)/.exec(child.stderr);
  if (!match) throw new Error(`the track bundle did not load: ${child.stderr.slice(0, 2000)}`);
  return Number(match[1]);
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * P2-plan-cold: what P2-plan's tracking plan (500 types of 20 properties) adds to a cold start of `track`. The track
 * function is bundled as serverless package bundles it, the plan's validators compiled as serverless package
 * compiles them (lib/plan/precompile.ts), and a fresh Node process imports the bundle, which loads the plan and
 * builds the intake, RUNS times per variant (interleaved), without and with the plan; the figure is the difference
 * of the medians. The variant whose validators are compiled at load (no build step) is measured for comparison.
 */
export const measurePlanColdStart = async (root: string): Promise<Measurement> => {
  const folder = mkdtempSync(join(tmpdir(), 'uat-plan-cold-'));
  try {
    await build({
      entryPoints: [resolve(root, 'functions/track/handler.ts')],
      outfile: join(folder, 'track.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: true,
      banner: { js: BANNER },
      logLevel: 'warning',
    });
    const planFile = writeBigPlan(folder);
    const compileStarted = performance.now();
    precompilePlan(planFile, folder);
    const buildCompileMs = performance.now() - compileStarted;
    const variants: Record<Variant, () => Record<string, string>> = {
      'no plan': () => ({}),
      'plan, validators compiled at build time': () => ({ TRACKING_PLAN: planFile }),
      'plan, validators compiled at load': () => ({ TRACKING_PLAN: planFile }),
    };
    const times: Record<Variant, number[]> = {
      'no plan': [],
      'plan, validators compiled at build time': [],
      'plan, validators compiled at load': [],
    };
    for (let run = 0; run < RUNS; run += 1) {
      for (const variant of Object.keys(variants) as Variant[]) {
        if (variant === 'plan, validators compiled at load') rmSync(join(folder, PRECOMPILED_DIR), { recursive: true });
        times[variant].push(importOnce(folder, variants[variant]()));
        if (variant === 'plan, validators compiled at load') precompilePlan(planFile, folder);
      }
    }
    const medians = Object.fromEntries(Object.entries(times).map(([variant, ms]) => [variant, median(ms)]));
    const added = (medians['plan, validators compiled at build time'] as number) - (medians['no plan'] as number);
    const atLoad = (medians['plan, validators compiled at load'] as number) - (medians['no plan'] as number);
    return {
      id: 'P2-plan-cold',
      what: `cold start of track: added by a ${BIG_PLAN_TYPES}-type plan of ${BIG_PLAN_PROPERTIES} properties each`,
      value: added,
      unit: 'ms',
      figure: `+${Math.round(added)} ms (median of ${RUNS}; +${Math.round(atLoad)} ms compiling at load instead)`,
      details: { runs: RUNS, times, medians, buildCompileMs },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const measurement = await measurePlanColdStart(process.cwd());
  console.log(JSON.stringify(measurement, null, 2));
}
