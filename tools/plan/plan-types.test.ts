import { describe, expect, it } from 'vitest';
import { planTypes, typeNameOf } from './plan-types.js';

describe('plan types', () => {
  it.each([
    ['checkout', 'CheckoutMetadata'],
    ['order completed', 'OrderCompletedMetadata'],
    ['$identify', 'IdentifyMetadata'],
    ['2fa_enabled', 'Event2faEnabledMetadata'],
  ])('names the type of %s %s', (eventType, name) => {
    expect(typeNameOf(eventType)).toBe(name);
  });

  it('emits an interface per event type and a map from event type to it', async () => {
    const code = await planTypes({
      version: 'v3',
      enforcement: 'reject',
      unplanned: 'allow',
      events: {
        'order completed': {
          description: 'Order placed',
          metadata: {
            type: 'object',
            required: ['total'],
            properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] } },
          },
        },
      },
    });

    expect(code).toContain('from tracking plan v3');
    expect(code).toMatch(
      /export interface OrderCompletedMetadata \{\n {2}total: number;\n {2}currency\?: "EUR" \| "USD";/,
    );
    expect(code).toContain('export interface TrackingPlanEvents {\n  "order completed": OrderCompletedMetadata;\n}');
  });
});
