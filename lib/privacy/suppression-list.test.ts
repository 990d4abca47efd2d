import { describe, expect, it } from 'vitest';
import { activityMessage } from '../../test/factories.js';
import { recordingFailedEvents, recordingPublisher } from '../../test/support/recording-publisher.js';
import { createIntake } from '../intake/intake.js';
import { intakeSteps } from '../intake/steps.js';
import { subjectHash } from './subject-hash.js';
import { createSuppressionList, type SuppressionSource } from './suppression-list.js';

const SECRET = 'suppression-list-secret';
const T = Date.parse('2026-12-07T12:00:00.000Z');

const source = (windows: Record<string, number>, { fails = false } = {}) => {
  const counted: number[] = [];
  let reads = 0;
  const src: SuppressionSource = {
    async readVersion() {
      if (fails) throw new Error('connect ECONNREFUSED');
      return String(Object.keys(windows).length);
    },
    async readOpenWindows() {
      reads += 1;
      return new Map(Object.entries(windows));
    },
    async countSuppressed(count) {
      counted.push(count);
    },
  };
  return { src, counted, reads: () => reads };
};

const at = (millis: number) => new Date(millis).toISOString();

describe('the suppression list and the intake step', () => {
  const victim = subjectHash(SECRET, 'USER_ID', 'victim');
  const native = subjectHash(SECRET, 'USER_ID', '42');
  const anonymous = subjectHash(SECRET, 'ANONYMOUS_ID', 'anon-9');

  it('answers suppressed events as accepted, publishes and keeps none of them, counts them, and leaves the rest', async () => {
    const { src, counted } = source({ [victim]: T, [native]: T, [anonymous]: T });
    const list = createSuppressionList(src, SECRET);
    const { publisher, published } = recordingPublisher();
    const { kept, store } = recordingFailedEvents();
    const intake = createIntake({
      publisher,
      failedEvents: store,
      steps: intakeSteps({ maxMessageBytes: 64 * 1024, suppressionList: list }),
    });
    const items = [
      activityMessage({ user_id: 0, user_key: 'victim', received_at: at(T + 1) }),
      activityMessage({ user_id: 42, received_at: at(T) }),
      activityMessage({ user_id: 0, anonymous_id: 'anon-9', received_at: at(T + 5) }),
      activityMessage({ user_id: 0, user_key: 'victim ', received_at: at(T + 1) }),
      activityMessage({ user_id: 0, user_key: 'victim', received_at: at(T - 1) }),
      activityMessage({ user_id: 43, received_at: at(T + 1) }),
    ].map((message) => ({ message }));
    const rejected = { errors: [{ field: 'event', message: 'is required' }], original: { userId: 'victim' } };

    const outcome = await intake.accept([...items, rejected], { keepRejectedAs: 'Segment call' });

    expect(outcome.results.slice(0, 6).map((r) => r.status)).toEqual(Array(6).fill('accepted'));
    expect(outcome).toMatchObject({ accepted: 6, suppressed: 3, rejected: 1 });
    expect(published.map((m) => [m.user_id, m.user_key])).toEqual([
      [0, 'victim '],
      [0, 'victim'],
      [43, undefined],
    ]);
    expect(kept).toEqual([]);
    await Promise.resolve();
    expect(counted).toEqual([3]);
  });

  it('costs nothing and suppresses nothing while the list is empty or cannot be read', async () => {
    for (const { src } of [source({}), source({ [victim]: T }, { fails: true })]) {
      const list = createSuppressionList(src, SECRET);
      await list.prepare();
      expect(list.suppresses(activityMessage({ user_id: 0, user_key: 'victim', received_at: at(T + 1) }), T + 1)).toBe(
        false,
      );
    }
  });

  it('reads the windows again only when the version changed', async () => {
    const { src, reads } = source({ [victim]: T });
    const list = createSuppressionList(src, SECRET);
    await list.prepare();
    await list.prepare();
    expect(reads()).toBe(1);
    expect(list.suppressesCall({ userId: 'victim', event: 'x' }, T)).toBe(true);
    expect(list.suppressesCall({ anonymousId: 'victim' }, T)).toBe(false);
  });
});
