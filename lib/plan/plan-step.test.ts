import { describe, expect, it } from 'vitest';
import { activityMessage } from '../../test/factories.js';
import {
  recordingFailedEvents,
  recordingPublisher,
  recordingViolationCounts,
} from '../../test/support/recording-publisher.js';
import { DependencyUnavailableError } from '../errors.js';
import { createIntake, problemsOf } from '../intake/intake.js';
import type { Mapped } from '../intake/mapped.js';
import { intakeSteps } from '../intake/steps.js';
import { parsePlan } from './load-plan.js';

const planText = (enforcement: string, unplanned: string) =>
  JSON.stringify({
    version: '2026-12-07.1',
    enforcement,
    unplanned,
    events: {
      checkout: {
        metadata: { type: 'object', required: ['total'], properties: { total: { type: 'number' } } },
      },
      $identify: { metadata: { type: 'object', required: ['email'] } },
    },
  });

const intakeUnder = (enforcement: string, unplanned = 'allow', { countsFail = false } = {}) => {
  const { publisher, published } = recordingPublisher();
  const { kept, store } = recordingFailedEvents();
  const { counted, store: violationCounts } = recordingViolationCounts(countsFail);
  const trackingPlan = parsePlan(planText(enforcement, unplanned), 'plan.json');
  const intake = createIntake({
    publisher,
    failedEvents: store,
    violationCounts,
    steps: intakeSteps({ maxMessageBytes: 64 * 1024, trackingPlan }),
  });
  return { intake, published, kept, counted };
};

const native = (event_type: string, metadata: Record<string, unknown>): Mapped => ({
  message: activityMessage({ event_type, metadata }),
  original: { event_type, metadata },
});
const segment = (event_type: string, payload: string, values: Record<string, unknown>): Mapped => ({
  message: activityMessage({ event_type, metadata: { [payload]: values, type: 'x' } }),
  payload,
  original: { messageId: 'm-1', [payload]: values },
});

const TOTAL_TYPE = {
  field: 'metadata.total',
  rule: 'type',
  message: 'must be number',
  plan_version: '2026-12-07.1',
};

describe('the tracking plan step (reject)', () => {
  it('refuses a violating event with its violations, counts them, and publishes the conforming ones', async () => {
    const { intake, published, counted } = intakeUnder('reject');

    const outcome = await intake.accept([native('checkout', { total: 10 }), native('checkout', { total: '10' })]);

    expect(outcome).toMatchObject({ accepted: 1, rejected: 1, blocked: 1 });
    expect(outcome.results[1]).toEqual({ index: 1, status: 'rejected', errors: [TOTAL_TYPE] });
    expect(problemsOf(outcome, 'events')).toEqual([{ ...TOTAL_TYPE, field: 'events[1].metadata.total' }]);
    expect(published.map((m) => m.metadata)).toEqual([{ total: 10 }]);
    expect(counted).toEqual([[{ eventType: 'checkout', rule: 'type', count: 1 }]]);
  });

  it('counts an unplanned type under one label, whatever its name, when unplanned is reject', async () => {
    const { intake, counted } = intakeUnder('reject', 'reject');

    const outcome = await intake.accept([native('signup', {}), native('logout', {})]);

    expect(outcome.rejected).toBe(2);
    expect(outcome.results[0]).toMatchObject({ errors: [{ field: 'event_type', rule: 'unplanned' }] });
    expect(counted).toEqual([[{ eventType: '(unplanned)', rule: 'unplanned', count: 2 }]]);
  });

  it("checks a Segment call's traits, names them in the field, and keeps the blocked call when asked", async () => {
    const { intake, kept, published } = intakeUnder('reject');

    const outcome = await intake.accept([segment('$identify', 'traits', { name: 'Ada' })], {
      keepBlockedAs: 'Segment call',
    });

    expect(outcome).toMatchObject({ accepted: 0, rejected: 1, blocked: 1 });
    expect(published).toEqual([]);
    expect(kept).toEqual([
      expect.objectContaining({
        messageId: 'm-1',
        eventId: null,
        rawBody: '{"messageId":"m-1","traits":{"name":"Ada"}}',
        reason:
          "Segment call 0 cannot be stored: traits.email must have required property 'email' (rule required, plan 2026-12-07.1)",
        // The log line names the rule and the place, never the client's text (issue 19).
        loggedReason: "Segment call 0 cannot be stored: traits (1 level in) must have required property 'email'",
      }),
    ]);
  });

  it('answers 503 and publishes nothing when the violations cannot be counted', async () => {
    const { intake, published } = intakeUnder('reject', 'allow', { countsFail: true });

    const accepting = intake.accept([native('checkout', {}), native('checkout', { total: 1 })]);

    await expect(accepting).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(published).toEqual([]);
  });
});

describe('the tracking plan step (flag)', () => {
  it('publishes a violating event with its violations and counts nothing at the door', async () => {
    const { intake, published, counted } = intakeUnder('flag', 'flag');

    const outcome = await intake.accept([native('checkout', { total: 'ten' }), native('signup', {})]);

    expect(outcome).toMatchObject({ accepted: 2, rejected: 0 });
    expect(outcome.blocked).toBeUndefined();
    expect(published.map((m) => m.plan_violations)).toEqual([
      [TOTAL_TYPE],
      [
        {
          field: 'event_type',
          rule: 'unplanned',
          message: 'is not in the tracking plan',
          plan_version: '2026-12-07.1',
        },
      ],
    ]);
    expect(counted).toEqual([]);
  });

  it('leaves a conforming event and an allowed unplanned one as they were', async () => {
    const { intake, published } = intakeUnder('flag', 'allow');

    await intake.accept([native('checkout', { total: 3 }), native('signup', {})]);

    expect(published.map((m) => 'plan_violations' in m)).toEqual([false, false]);
  });
});
