import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { loadPlan, parsePlan } from './load-plan.js';

const plan = (events: object, settings: object = {}) =>
  JSON.stringify({ version: 'v1', enforcement: 'reject', unplanned: 'allow', ...settings, events });

const checkout = {
  checkout: {
    metadata: {
      type: 'object',
      required: ['total'],
      properties: { total: { type: 'number' }, coupon: { type: 'string', pattern: '^[A-Z0-9]{4,12}$' } },
    },
  },
};

const failure = (text: string): PlanError => {
  try {
    parsePlan(text, 'plan.json');
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error('the plan loaded');
};

describe('loading a tracking plan', () => {
  it.each([
    [
      'text that is not JSON',
      '{\n  "version": "v1",\n  "events": {,}\n}',
      '$',
      /is not valid JSON: .*\(line 3, column 14\)/,
    ],
    ['a missing version', JSON.stringify({ events: {} }), '$.version', /must have required property/],
    ['an unknown enforcement', plan({}, { enforcement: 'block' }), '$.enforcement', /allowed values/],
    ['an event without metadata', plan({ checkout: {} }), '$.events.checkout.metadata', /required property/],
    [
      'a type that is not a JSON type',
      plan({ checkout: { metadata: { properties: { total: { type: 'nmuber' } } } } }),
      '$.events.checkout.metadata.properties.total.type',
      /not valid JSON Schema/,
    ],
    [
      'an unknown keyword (a typo)',
      plan({ checkout: { metadata: { type: 'object', propertes: {} } } }),
      '$.events.checkout.metadata',
      /unknown keyword: "propertes"/,
    ],
    [
      'a pattern with a backreference, which no linear-time engine runs',
      plan({ page: { metadata: { properties: { path: { type: 'string', pattern: '^(a)\\1$' } } } } }),
      '$.events.page.metadata.properties.path.pattern',
      /linear-time engine/,
    ],
  ])('refuses %s, naming the file, the JSON path and the reason', (_case, text, path, reason) => {
    const error = failure(text);

    expect(error.file).toBe('plan.json');
    expect(error.path).toBe(path);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`Invalid tracking plan plan.json at ${path}: ${error.reason}`);
  });

  it('names a file it cannot read', () => {
    expect(() => loadPlan('no/such/plan.json')).toThrowError(/no\/such\/plan.json at \$: cannot be read/);
  });

  it('reports each violation with its field, rule, message and the plan version', () => {
    const loaded = parsePlan(plan(checkout), 'plan.json');

    const verdict = loaded.check('checkout', { coupon: 'spring sale' }, 'metadata');

    expect(verdict).toEqual({
      action: 'reject',
      violations: [
        {
          field: 'metadata.total',
          rule: 'required',
          message: "must have required property 'total'",
          plan_version: 'v1',
        },
        {
          field: 'metadata.coupon',
          rule: 'pattern',
          message: expect.stringMatching(/^must match pattern/),
          plan_version: 'v1',
        },
      ],
    });
    expect(loaded.check('checkout', { total: 12.5, coupon: 'SPRING26' }, 'metadata')).toEqual({
      action: 'pass',
      violations: [],
    });
  });

  it('checks an absent payload as an empty object', () => {
    const loaded = parsePlan(plan(checkout, { enforcement: 'flag' }), 'plan.json');
    expect(loaded.check('checkout', undefined, 'properties')).toMatchObject({
      action: 'flag',
      violations: [{ field: 'properties.total', rule: 'required' }],
    });
  });

  it.each([
    ['allow', { action: 'pass', violations: [] }],
    [
      'flag',
      {
        action: 'flag',
        violations: [
          { field: 'event_type', rule: 'unplanned', message: 'is not in the tracking plan', plan_version: 'v1' },
        ],
      },
    ],
    ['reject', { action: 'reject', violations: [expect.objectContaining({ rule: 'unplanned' })] }],
  ])('answers an unplanned type under unplanned=%s', (unplanned, verdict) => {
    const loaded = parsePlan(plan(checkout, { unplanned }), 'plan.json');
    expect(loaded.check('signup', { anything: true }, 'metadata')).toEqual(verdict);
  });

  it('cannot be stalled by a pattern that backtracks catastrophically on a backtracking engine', () => {
    const evil = '^(a+)+$';
    const loaded = parsePlan(
      plan({ search: { metadata: { properties: { q: { type: 'string', pattern: evil } } } } }),
      'plan.json',
    );
    const input = `${'a'.repeat(20_000)}!`;

    const started = performance.now();
    const verdict = loaded.check('search', { q: input }, 'metadata');
    const elapsed = performance.now() - started;

    expect(verdict.violations).toEqual([expect.objectContaining({ field: 'metadata.q', rule: 'pattern' })]);
    // V8's own engine needs about 2^n steps here: minutes at n = 30, the age of the universe at 20,000.
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps ECMA-262 \\u escapes in patterns meaning what they mean in JSON Schema', () => {
    const loaded = parsePlan(
      plan({ tag: { metadata: { properties: { t: { type: 'string', pattern: '^\\u0041+$' } } } } }),
      'plan.json',
    );
    expect(loaded.check('tag', { t: 'AAA' }, 'metadata').action).toBe('pass');
    expect(loaded.check('tag', { t: 'BBB' }, 'metadata').action).toBe('reject');
  });
});
