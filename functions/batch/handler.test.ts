import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PublishError } from '../../lib/errors.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { openApiErrors } from '../../test/support/openapi-schemas.js';
import { recordingPublisher, testIntake } from '../../test/support/recording-publisher.js';
import { createBatchHandler } from './handler.js';

const event = (overrides: Record<string, unknown> = {}) => ({
  user_id: 1,
  event_type: 'click',
  timestamp: '2026-02-19T10:00:00Z',
  ...overrides,
});

const invoke = async (body: unknown, fails?: Parameters<typeof recordingPublisher>[0]) => {
  const { published, publisher } = recordingPublisher(fails);
  const handler = createBatchHandler({ intake: testIntake(publisher), maxBodyBytes: 512 * 1024 });
  const response = await handler(httpEvent({ path: '/api/v1/events/batch', body }) as never, lambdaContext());
  return { response, body: JSON.parse(response.body), published };
};

describe('batch (function level, real middy stack)', () => {
  it('answers 207 for 3 valid and 1 invalid events, with per-item results in request order', async () => {
    const { response, body, published } = await invoke({
      events: [event(), event({ user_id: 'x' }), event({ event_type: 'b' }), event({ event_type: 'c' })],
    });

    expect(response.statusCode).toBe(207);
    expect(openApiErrors('BatchResult', body)).toEqual([]);
    expect(body).toEqual({
      accepted: 3,
      rejected: 1,
      failed: 0,
      results: [
        { index: 0, event_id: published[0]?.event_id, status: 'accepted' },
        { index: 1, status: 'rejected', errors: [{ field: 'user_id', message: 'must be integer' }] },
        { index: 2, event_id: published[1]?.event_id, status: 'accepted' },
        { index: 3, event_id: published[2]?.event_id, status: 'accepted' },
      ],
    });
    expect(published.map((m) => m.event_type)).toEqual(['click', 'b', 'c']);
  });

  it('answers 202 when every event is accepted, keeping client event_ids', async () => {
    const ids = [randomUUID(), randomUUID()];
    const { response, body } = await invoke({ events: ids.map((event_id) => event({ event_id })) });
    expect(response.statusCode).toBe(202);
    expect(body.results.map((r: { event_id: string }) => r.event_id)).toEqual(ids);
  });

  it('answers 400 in the error format, with the per-item results, when no event is valid', async () => {
    const { response, body, published } = await invoke({
      events: ['nope', event({ timestamp: '2099-01-01T00:00:00Z' })],
    });

    expect(response.statusCode).toBe(400);
    expect(openApiErrors('Error', body)).toEqual([]);
    expect(body).toMatchObject({
      status: 400,
      error: 'Bad Request',
      message: 'No event was accepted',
      details: [
        { field: 'events[0]', message: 'must be object' },
        { field: 'events[1].timestamp', message: 'must not be more than 24 hours in the future' },
      ],
      accepted: 0,
      rejected: 2,
    });
    expect(published).toEqual([]);
  });

  it.each([
    ['no events array', {}, 'events', "must have required property 'events'"],
    ['an empty array', { events: [] }, 'events', 'must NOT have fewer than 1 items'],
    [
      '501 events',
      { events: Array.from({ length: 501 }, () => event()) },
      'events',
      'must NOT have more than 500 items',
    ],
    ['an unknown envelope field', { events: [event()], extra: 1 }, 'extra', 'is not an allowed field'],
  ])('answers 400 for %s', async (_case, body, field, message) => {
    const result = await invoke(body);
    expect(result.response.statusCode).toBe(400);
    expect(result.body.details).toContainEqual({ field, message });
  });

  it('answers 413 stating the limit when the body is over 512 KB', async () => {
    const big = { events: [event({ metadata: { blob: 'x'.repeat(520 * 1024) } })] };
    const { response, body } = await invoke(big);
    expect(response.statusCode).toBe(413);
    expect(body.message).toBe('Request body must not exceed 524288 bytes (512 KB)');
  });

  it('applies the batch sent_at to events without their own', async () => {
    const sentAt = '2026-02-19T10:05:00.000Z';
    const { published } = await invoke({
      sent_at: sentAt,
      events: [event(), event({ sent_at: '2026-02-19T10:01:00Z' })],
    });
    expect(published.map((m) => m.sent_at)).toEqual([sentAt, '2026-02-19T10:01:00.000Z']);
  });

  it('marks events the broker did not confirm as failed and retryable (207)', async () => {
    const { response, body } = await invoke({ events: [event(), event({ event_type: 'unlucky' })] }, (m) =>
      m.event_type === 'unlucky' ? new PublishError('The broker did not confirm the event within 3000 ms') : undefined,
    );
    expect(response.statusCode).toBe(207);
    expect(body.results[1]).toEqual({
      index: 1,
      event_id: expect.any(String),
      status: 'failed',
      retryable: true,
      errors: [{ field: '(event)', message: 'The broker did not confirm the event within 3000 ms' }],
    });
  });

  it('answers 503 with Retry-After when the broker confirms none', async () => {
    const { response, body } = await invoke(
      { events: [event()] },
      () => new PublishError('The message broker is unreachable'),
    );
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '5' });
    expect(body).toMatchObject({
      status: 503,
      accepted: 0,
      failed: 1,
      message: 'No event was accepted: the message broker is unavailable',
    });
  });
});
