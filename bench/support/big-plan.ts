import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trackPayload } from './payloads.js';

/** P2-plan's tracking plan (issue 20): 500 event types of 20 properties each. */
export const BIG_PLAN_TYPES = 500;
export const BIG_PLAN_PROPERTIES = 20;
/** Where it is written, relative to the service folder (TRACKING_PLAN must be, to be packaged). */
export const BIG_PLAN_FILE = 'bench-tracking-plan.json';

const KINDS = [
  { type: 'string', maxLength: 256 },
  { type: 'number', minimum: 0 },
  { type: 'boolean' },
  { type: 'integer', minimum: 0, maximum: 1_000_000 },
  { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' },
] as const;

/**
 * The plan: P2's event type (`login`, whose metadata `browser` and `ip` are required strings, among 20 properties)
 * and 499 others like it, each property typed, some bounded, some with a pattern. Every event P2 sends conforms, so
 * P2-plan measures what checking costs, not what refusing does.
 */
export const bigPlan = () => {
  const events: Record<string, object> = {};
  for (let t = 0; t < BIG_PLAN_TYPES; t += 1) {
    const properties: Record<string, object> = {};
    for (let p = 0; p < BIG_PLAN_PROPERTIES; p += 1) properties[`property_${p}`] = KINDS[p % KINDS.length] as object;
    const [type, required] =
      t === 0
        ? [trackPayload.event_type, Object.keys(trackPayload.metadata)]
        : [`bench_event_${t}`, ['property_0', 'property_1']];
    if (t === 0) for (const name of required) properties[name] = { type: 'string', maxLength: 256 };
    events[type] = {
      description: `Bench event type ${t}`,
      metadata: { type: 'object', required, properties: Object.fromEntries(Object.entries(properties).slice(-20)) },
    };
  }
  return { version: 'bench-500x20', enforcement: 'reject', unplanned: 'reject', events };
};

/** Writes the plan into `folder`; resolves with its name there. */
export const writeBigPlan = (folder: string): string => {
  writeFileSync(join(folder, BIG_PLAN_FILE), JSON.stringify(bigPlan(), null, 1));
  return BIG_PLAN_FILE;
};
