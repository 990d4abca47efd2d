import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENT_MAX_CALL_BYTES } from '../../lib/activity/segment-schema.js';
import { isMessage, type Mapped } from '../../lib/intake/mapped.js';
import { runSteps } from '../../lib/intake/pipeline.js';
import { intakeSteps } from '../../lib/intake/steps.js';
import { mapCalls } from './map-calls.js';

const now = new Date('2026-12-07T10:00:00.000Z');

// Segment's limit as the reference applies it: the call's own JSON, without its write key.
const referenceBytes = (call: Record<string, unknown>): number => {
  const { writeKey: _secret, ...rest } = call;
  return Buffer.byteLength(JSON.stringify(rest), 'utf8');
};

const sizeError = (item: Mapped): string | undefined =>
  'errors' in item ? item.errors.find((e) => e.message.includes("over Segment's limit"))?.message : undefined;

/** A call whose JSON without its write key is exactly `bytes` long (padding a property with ASCII). */
const callOf = (bytes: number, fields: Record<string, unknown>): Record<string, unknown> => {
  const call = { type: 'track', event: 'Clicked', ...fields, properties: { pad: '' } };
  const padding = bytes - referenceBytes(call);
  return { ...call, properties: { pad: 'x'.repeat(Math.max(padding, 0)) } };
};

const identities: Array<[string, Record<string, unknown>]> = [
  ['a string userId', { userId: 'u-1' }],
  ['a numeric userId and an anonymousId', { userId: 1e21, anonymousId: 'é-anon' }],
  ['a null userId', { userId: null, anonymousId: 'a' }],
  ['a write key in the call', { userId: 'u', writeKey: 'secret-key' }],
  ['multi-byte text', { userId: '𝄞', context: { page: { title: 'clé ✓' } } }],
];

describe('mapCalls: Segment’s 32 KB per call, from the metadata it serialises once', () => {
  it.each(identities)('refuses exactly the calls over the limit, with %s', (_, fields) => {
    for (const bytes of [SEGMENT_MAX_CALL_BYTES - 1, SEGMENT_MAX_CALL_BYTES, SEGMENT_MAX_CALL_BYTES + 1]) {
      const call = callOf(bytes, fields);
      expect(referenceBytes(call)).toBe(bytes);
      const [item] = mapCalls({ batch: true, calls: [call] }, 'k', now);
      const over = bytes > SEGMENT_MAX_CALL_BYTES;
      expect(sizeError(item as Mapped)).toBe(
        over ? `is ${bytes} bytes, over Segment's limit of ${SEGMENT_MAX_CALL_BYTES} bytes per call` : undefined,
      );
      expect(isMessage(item as Mapped)).toBe(!over);
    }
  });

  it('measures the call itself when a batch context is merged into its metadata', () => {
    const call = callOf(SEGMENT_MAX_CALL_BYTES - 10, { userId: 'u' });
    const context = { library: { name: 'x'.repeat(100) } };
    const [item] = mapCalls({ batch: true, calls: [call], context }, 'k', now);
    expect(isMessage(item as Mapped)).toBe(true);
  });

  it('agrees with the reference on arbitrary calls', () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            userId: field,
            anonymousId: field,
            event: fc.string({ minLength: 1, maxLength: 64 }),
            writeKey: fc.string(),
          },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
        fc.integer({ min: 0, max: 40_000 }),
        (identity, properties, pad) => {
          const call = { type: 'track', ...identity, properties: { ...properties, pad: 'y'.repeat(pad) } };
          const [item] = mapCalls({ batch: true, calls: [call] }, 'k', now);
          const bytes = referenceBytes(call);
          const message = sizeError(item as Mapped);
          if (bytes > SEGMENT_MAX_CALL_BYTES)
            expect(message).toBe(`is ${bytes} bytes, over Segment's limit of ${SEGMENT_MAX_CALL_BYTES} bytes per call`);
          else expect(message).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('publishes the same message as serialising it whole', () => {
    const steps = intakeSteps({ maxMessageBytes: 256 * 1024 });
    const call = {
      type: 'track',
      event: 'E',
      userId: '42',
      messageId: 'm-1',
      properties: { a: [1, 'é'] },
      context: { ip: '1.2.3.4' },
    };
    const [item] = mapCalls({ batch: true, calls: [call], sentAt: '2026-12-07T10:00:00.000Z' }, 'k', now);
    const checked = runSteps(steps, item as Mapped);
    if (!('queued' in checked) || !isMessage(item as Mapped)) throw new Error('the call was not queued');
    const message = (item as { message: unknown }).message;
    expect(JSON.parse(checked.queued.body.toString('utf8'))).toEqual(message);
    expect(checked.queued.body.length).toBe(Buffer.byteLength(JSON.stringify(message)));
  });
});
