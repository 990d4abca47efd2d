import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDatabase } from '../lib/db/client.js';
import { PlanError } from '../lib/errors.js';
import { parsePlan, parsePlanFile } from '../lib/plan/load-plan.js';
import { precompilePlan } from '../lib/plan/precompile.js';
import { serviceConfig } from '../tools/env.js';
import { draftPlan } from '../tools/plan/draft-plan.js';
import { planTypes } from '../tools/plan/plan-types.js';

const USAGE = `npm run plan -- <command>
  draft [--days 7] [--version <v>] [--out plan.json]   infer a plan from the events stored in the last N days
  check <file>                                        validate a plan; exits 1 naming the problem (for CI)
  types <file> [--out types.ts]                       TypeScript types for clients (json-schema-to-typescript)
  compile <file>                                      the validators as code, where the functions look for them
                                                      (serverless package and offline start run it)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { days: { type: 'string', default: '7' }, version: { type: 'string' }, out: { type: 'string' } },
});
const [command, file] = positionals;

const write = (text: string) => (values.out ? writeFileSync(values.out, text) : process.stdout.write(text));

const draft = async () => {
  const days = Number(values.days);
  if (!Number.isFinite(days) || days <= 0) throw new Error(`--days must be a positive number, got ${values.days}`);
  const database = createDatabase(serviceConfig());
  try {
    const version = values.version ?? `draft-${new Date().toISOString().slice(0, 10)}`;
    const plan = await draftPlan(database.db, {
      days,
      version,
      // One line, rewritten in place, on stderr: stdout may be the plan itself.
      onProgress: (read, estimated) =>
        process.stderr.write(`\rdrafting: ${read} of ~${estimated} events read (last ${days} days)`),
    });
    process.stderr.write(`\ndrafted ${Object.keys(plan.events).length} event types\n`);
    write(`${JSON.stringify(plan, null, 2)}\n`);
  } finally {
    await database.pool.end();
  }
};

const check = () => {
  const plan = parsePlan(readFileSync(file as string, 'utf8'), file as string);
  console.log(
    `${file}: plan ${plan.version} is valid: ${plan.types.length} event types, enforcement ${plan.enforcement}`,
  );
};

const types = async () => write(await planTypes(parsePlanFile(readFileSync(file as string, 'utf8'), file as string)));

try {
  if (command === 'draft') await draft();
  else if (command === 'check' && file) check();
  else if (command === 'types' && file) await types();
  else if (command === 'compile' && file) console.log(precompilePlan(file));
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
} catch (error) {
  console.error(error instanceof PlanError || error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
