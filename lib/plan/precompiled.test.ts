import { describe, expect, it } from 'vitest';
import { planOf } from './compile-plan.js';
import { parsePlan, parsePlanFile } from './load-plan.js';
import { generatePlanCode } from './precompile.js';
import { evaluatePrecompiled, exportName, precompiledPath } from './precompiled.js';

// Every runtime helper the generated code may require: patterns (RE2JS), lengths (code points), enum and const
// (deep equality), formats (ajv-formats), and event types that are not JavaScript names.
const text = JSON.stringify({
  version: 'v7',
  enforcement: 'flag',
  events: {
    'order completed': {
      metadata: {
        type: 'object',
        required: ['total', 'email'],
        properties: {
          total: { type: 'number', minimum: 0 },
          email: { type: 'string', format: 'email' },
          coupon: { type: 'string', pattern: '^[A-Z]{4}$' },
          note: { type: 'string', maxLength: 3 },
          tier: { enum: [{ level: 1 }, 'gold'] },
          kind: { const: 'web' },
          site: { type: 'string', format: 'uri' },
        },
        additionalProperties: false,
      },
    },
    $identify: { metadata: true },
  },
});

const samples: unknown[] = [
  { total: 3, email: 'ada@example.com' },
  { total: -1, email: 'not an email' },
  { total: 3, email: 'ada@example.com', coupon: 'abcd', note: '😀😀😀', tier: { level: 1 }, kind: 'web' },
  { total: 3, email: 'ada@example.com', note: '😀😀😀😀', tier: { level: 2 }, kind: 'app', site: 'not a uri' },
  { email: 'ada@example.com', extra: 1 },
];

describe('validators compiled at build time', () => {
  it('answer every payload as the validators compiled at load do', () => {
    const atLoad = parsePlan(text, 'plan.json');
    const exports = evaluatePrecompiled(generatePlanCode(text, 'plan.json'));
    const file = parsePlanFile(text, 'plan.json');
    const validators = new Map(Object.keys(file.events).map((type, index) => [type, exports[exportName(index)]]));
    const atBuild = planOf(file, validators as never, 'build');

    for (const type of ['order completed', '$identify', 'unplanned']) {
      for (const payload of samples) {
        expect(atBuild.check(type, payload, 'metadata')).toEqual(atLoad.check(type, payload, 'metadata'));
      }
    }
    expect(
      atLoad
        .check('order completed', samples[3], 'metadata')
        .violations.map((v) => v.rule)
        .sort(),
    ).toEqual(['const', 'enum', 'format', 'maxLength']);
  });

  it('are named by the text of the plan, so an edited plan is never checked by stale code', () => {
    expect(precompiledPath(text)).toMatch(/^\.tracking-plan\/[0-9a-f]{32}\.cjs$/);
    expect(precompiledPath(`${text} `)).not.toBe(precompiledPath(text));
  });
});
