import { describe, expect, it } from 'vitest';
import { metricTotals } from '../../test/support/metric-totals.js';
import {
  PayloadTooLargeError,
  PublishError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  WriteKeyError,
} from '../errors.js';
import { countRefusals } from './count-refusals.js';

const refuse = (errors: unknown[]) =>
  metricTotals(async () => {
    const { onError } = countRefusals();
    for (const error of errors) await onError?.({ error } as never);
  });

describe('counting the write requests refused as a whole', () => {
  it('counts each refusal once, by the reason its error names', async () => {
    const totals = await refuse([
      new UnauthorizedError('Invalid API key'),
      new WriteKeyError('Invalid write key'),
      new PayloadTooLargeError(32 * 1024),
      new UnsupportedMediaTypeError('Content-Type must be application/json', []),
      new ValidationError('Validation failed', []),
      Object.assign(new Error('Event object failed validation'), { cause: { package: '@middy/validator' } }),
      Object.assign(new Error('Invalid or malformed JSON'), { cause: { package: '@middy/http-json-body-parser' } }),
    ]);

    expect(totals).toEqual({
      'EventsRejected{auth}': 2,
      'EventsRejected{size}': 1,
      'EventsRejected{media_type}': 1,
      'EventsRejected{validation}': 3,
    });
  });

  it('does not count again what the intake counted, nor an outage or an unexpected error', async () => {
    const totals = await refuse([
      new ValidationError('No event was accepted', [], { eventsCounted: true }),
      new PublishError('The message broker is unavailable'),
      new Error('boom'),
    ]);

    expect(totals).toEqual({});
  });
});
