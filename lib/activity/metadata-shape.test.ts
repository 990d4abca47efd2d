import { transpileSchema } from '@middy/validator/transpile';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityMessageSchema, MAX_METADATA_DEPTH, trackRequestSchema } from './activity-schema.js';
import { DATE_TIME_FORMAT, isIsoDateTime } from './iso-date-time.js';
import { isPlainMetadata } from './metadata-shape.js';
import { compileBodySchema, compileSchema } from './validation.js';

// The schema compiled as ajv alone would run it: the reference the fast path must agree with.
const reference = (schema: object) =>
  transpileSchema(schema, {
    coerceTypes: false,
    useDefaults: false,
    allowUnionTypes: true,
    formats: { [DATE_TIME_FORMAT]: isIsoDateTime },
  }) as unknown as ((value: unknown) => boolean) & { errors?: unknown };

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: [nested(depth - 1)] });

const message = (metadata: unknown) => ({
  event_id: '0b5c3c1e-2d7f-4b8a-9c1d-3e4f5a6b7c8d',
  user_id: 7,
  event_type: 'view',
  timestamp: '2026-12-07T10:00:00.000Z',
  received_at: '2026-12-07T10:00:01.000Z',
  metadata,
});

// Values at the edges of the metadata rules: depth, reserved keys (own, as JSON.parse makes them), non-JSON numbers.
const edges: Array<[string, unknown]> = [
  ['an empty object', {}],
  ['scalars of every JSON type', { s: 'x', n: 1.5, t: true, z: null }],
  ['the deepest nesting allowed', { x: nested(Math.floor((MAX_METADATA_DEPTH - 1) / 2)) }],
  [
    'objects nested MAX_METADATA_DEPTH levels',
    JSON.parse(`${'{"a":'.repeat(MAX_METADATA_DEPTH - 1)}1${'}'.repeat(MAX_METADATA_DEPTH - 1)}`),
  ],
  [
    'objects nested one level more',
    JSON.parse(`${'{"a":'.repeat(MAX_METADATA_DEPTH)}1${'}'.repeat(MAX_METADATA_DEPTH)}`),
  ],
  [
    'arrays nested one level more',
    JSON.parse(`{"a":${'['.repeat(MAX_METADATA_DEPTH)}1${']'.repeat(MAX_METADATA_DEPTH)}}`),
  ],
  ['a reserved key at the top', JSON.parse('{"__proto__": 1}')],
  ['a reserved key deep down', JSON.parse('{"a": [{"b": {"constructor": {}}}]}')],
  ['a reserved key as an array value', { a: ['prototype'] }],
  ['an infinite number', { a: Number.POSITIVE_INFINITY }],
  ['NaN deep down', { a: [{ b: Number.NaN }] }],
  ['undefined', { a: undefined }],
  ['an array', []],
  ['null', null],
  ['a string', 'text'],
];

describe('the metadata fast path', () => {
  const fast = compileSchema(activityMessageSchema);
  const whole = reference(activityMessageSchema);

  it.each(edges)('gives the schema’s verdict and errors for %s', (_, metadata) => {
    const value = message(metadata);
    expect(fast(value)).toBe(whole(value));
    expect(fast.errors ?? null).toEqual(whole.errors ?? null);
  });

  it('agrees with the schema on arbitrary JSON metadata', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: MAX_METADATA_DEPTH + 2 }), (metadata) => {
        const value = message(metadata);
        expect(fast(value)).toBe(whole(value));
        expect(fast.errors ?? null).toEqual(whole.errors ?? null);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what the schema refuses, and accepts plain metadata', () => {
    expect(isPlainMetadata({ a: [1, { b: 'c' }] })).toBe(true);
    for (const [, metadata] of edges) {
      if (isPlainMetadata(metadata)) expect(whole(message(metadata))).toBe(true);
    }
  });

  it('finds metadata under a request body too (the track endpoint’s event)', () => {
    const fastBody = compileBodySchema(trackRequestSchema);
    const wholeBody = reference({ type: 'object', required: ['body'], properties: { body: trackRequestSchema } });
    const deep = JSON.parse(`${'{"a":'.repeat(MAX_METADATA_DEPTH)}1${'}'.repeat(MAX_METADATA_DEPTH)}`);
    for (const metadata of [{ ok: 1 }, deep, JSON.parse('{"__proto__": 1}')]) {
      const event = { body: { user_id: 1, event_type: 'view', timestamp: '2026-12-07T10:00:00Z', metadata } };
      expect(fastBody(event)).toBe(wholeBody(event));
      expect(fastBody.errors ?? null).toEqual(wholeBody.errors ?? null);
    }
  });
});
