import { describe, expect, it } from 'vitest';
import { activityMessage } from '../../test/factories.js';
import { metricTotals } from '../../test/support/metric-totals.js';
import { recordingFailedEvents, recordingPublisher, testIntake } from '../../test/support/recording-publisher.js';
import { DependencyUnavailableError, PublishError } from '../errors.js';
import { createIntake } from './intake.js';
import type { Mapped } from './mapped.js';
import { intakeSteps } from './steps.js';

const accepted = (overrides = {}): Mapped => ({ message: activityMessage(overrides), original: { raw: true } });
const refused: Mapped = { errors: [{ field: 'user_id', message: 'must be integer' }], original: { user_id: 'x' } };

describe('the intake', () => {
  it('answers each item in request order: accepted, rejected by its mapper, or failed at the broker', async () => {
    const { publisher, published } = recordingPublisher((m) =>
      m.event_type === 'unconfirmed' ? new PublishError('no confirm') : undefined,
    );
    const items = [accepted(), refused, accepted({ event_type: 'unconfirmed' })];

    const outcome = await testIntake(publisher).accept(items);

    expect(outcome).toEqual({
      accepted: 1,
      suppressed: 0,
      rejected: 1,
      failed: 1,
      results: [
        { index: 0, event_id: published[0]?.event_id, status: 'accepted' },
        { index: 1, status: 'rejected', errors: [{ field: 'user_id', message: 'must be integer' }] },
        {
          index: 2,
          event_id: expect.any(String),
          status: 'failed',
          retryable: true,
          errors: [{ field: '(event)', message: 'no confirm' }],
        },
      ],
    });
  });

  it('publishes the bytes the storable step checked', async () => {
    const { publisher } = recordingPublisher();
    const bodies: Buffer[] = [];
    const capturing = {
      ...publisher,
      publishAll: async (queued: Array<{ body: Buffer }>) =>
        queued.map((q) => {
          bodies.push(q.body);
          return undefined;
        }),
    };
    const item = accepted();

    await testIntake(capturing).accept([item]);

    expect(bodies.map((body) => JSON.parse(body.toString()))).toEqual([(item as { message: unknown }).message]);
  });

  it.each([
    [
      'over the queued-message limit',
      { metadata: { blob: 'x'.repeat(70 * 1024) } },
      '(event)',
      /^is \d+ bytes as a queued message, over the limit of 65536 bytes$/,
    ],
    [
      'an unpaired surrogate deep in metadata',
      { metadata: { a: [{ b: 'ok\uD800' }] } },
      'metadata.a.0.b',
      /unpaired surrogate/,
    ],
    ['a key with an unpaired surrogate', { metadata: { '\uDC00': 1 } }, 'metadata.\uDC00', /unpaired surrogate/],
    [
      'metadata nested 11 levels',
      { metadata: { a: [[[[[[[[[[1]]]]]]]]]] } },
      'metadata.a.0.0.0.0.0.0.0.0.0',
      /10 levels/,
    ],
  ])('rejects an event that persist would refuse: %s', async (_case, overrides, field, message) => {
    const { publisher, published } = recordingPublisher();

    const outcome = await testIntake(publisher).accept([accepted(overrides)]);

    expect(outcome.results).toEqual([
      { index: 0, status: 'rejected', errors: [{ field, message: expect.stringMatching(message) }] },
    ]);
    expect(published).toEqual([]);
  });

  it('accepts what persist stores: paired surrogates (emoji), an escaped backslash-u in text, 10 levels of metadata', async () => {
    const { publisher, published } = recordingPublisher();
    const items = [
      accepted({ event_type: 'liked 👍', metadata: { note: '😀' } }),
      accepted({ metadata: { text: '\\ud800 is how JSON writes one' } }),
      accepted({ metadata: { a: [[[[[[[[1]]]]]]]] } }),
    ];

    const outcome = await testIntake(publisher).accept(items);

    expect(outcome.accepted).toBe(3);
    expect(published).toHaveLength(3);
  });

  it('keeps the rejected items in failed_events when the source asks, under its label and with the item as sent', async () => {
    const { publisher } = recordingPublisher();
    const { kept, store } = recordingFailedEvents();

    await testIntake(publisher, store).accept([accepted(), refused], { keepRejectedAs: 'Segment call' });

    expect(kept).toEqual([
      {
        messageId: null,
        eventId: null,
        rawBody: '{"user_id":"x"}',
        reason: 'Segment call 1 cannot be stored: user_id must be integer',
        loggedReason: 'Segment call 1 cannot be stored: user_id must be integer',
        identity: {},
      },
    ]);
  });

  it('publishes nothing and answers 503 when the rejected items cannot be kept', async () => {
    const { publisher, published } = recordingPublisher();
    const { store } = recordingFailedEvents(true);

    const accepting = testIntake(publisher, store).accept([accepted(), refused], { keepRejectedAs: 'Segment call' });

    await expect(accepting).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(published).toEqual([]);
  });

  it('counts accepted, rejected and unconfirmed events from its outcome', async () => {
    const { publisher } = recordingPublisher((m) => (m.user_id === 9 ? new PublishError('no confirm') : undefined));

    const totals = await metricTotals(() =>
      testIntake(publisher).accept([accepted(), accepted(), refused, accepted({ user_id: 9 })]),
    );

    expect(totals).toEqual({ EventsAccepted: 2, 'EventsRejected{validation}': 1, PublishFailures: 1 });
  });

  it('refuses to run without the storable step last, so nothing unchecked is published', async () => {
    const { publisher } = recordingPublisher();
    const unchecked = createIntake({
      publisher,
      failedEvents: recordingFailedEvents().store,
      steps: [{ name: 'pass', apply: (candidate) => ({ message: candidate.message }) }],
    });

    await expect(unchecked.accept([accepted()])).rejects.toThrowError(/last intake step must be storable/);
    expect(intakeSteps({ maxMessageBytes: 1 }).at(-1)?.name).toBe('storable');
  });
});
