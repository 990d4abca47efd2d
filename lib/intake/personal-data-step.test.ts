import { describe, expect, it } from 'vitest';
import { activityMessage } from '../../test/factories.js';
import { recordingFailedEvents, recordingPublisher } from '../../test/support/recording-publisher.js';
import { keyedHash, type PersonalDataRules, REDACTED } from '../privacy/personal-data.js';
import { createIntake } from './intake.js';
import { intakeSteps } from './steps.js';

const SECRET = 'the-deployment-secret';
const RULES: PersonalDataRules = { ip: 'truncate', redactKeys: ['email'], hashKeys: ['phone'], hashKey: SECRET };
const steps = intakeSteps({ maxMessageBytes: 64 * 1024, personalData: RULES });
const PERSONAL = { ip: '192.168.1.1', email: 'ada@example.com', phone: '+44 20 7946 0958' };

const intakeWith = () => {
  const { publisher, published } = recordingPublisher();
  const { kept, store } = recordingFailedEvents();
  return { intake: createIntake({ publisher, failedEvents: store, steps }), published, kept };
};

describe('the personal-data step of the intake', () => {
  it('comes before storable, and not at all when the rules change nothing', () => {
    expect(steps.map((step) => step.name)).toEqual(['personal-data', 'storable']);
    const keep: PersonalDataRules = { ip: 'keep', redactKeys: [], hashKeys: [], hashKey: SECRET };
    expect(intakeSteps({ maxMessageBytes: 1024, personalData: keep }).map((step) => step.name)).toEqual(['storable']);
  });

  it('publishes the metadata with the personal values replaced, native or Segment (context.ip, traits)', async () => {
    const { intake, published } = intakeWith();
    const segmentLike = { type: 'identify', context: { ip: '2001:db8:85a3::8a2e:370:7334' }, traits: { ...PERSONAL } };

    const outcome = await intake.accept([
      { message: activityMessage({ metadata: { ...PERSONAL, page: '/home' } }) },
      { message: activityMessage({ metadata: segmentLike }) },
    ]);

    expect(outcome.accepted).toBe(2);
    const hashed = keyedHash(SECRET, PERSONAL.phone);
    expect(published.map((message) => message.metadata)).toEqual([
      { ip: '192.168.1.0', email: REDACTED, phone: hashed, page: '/home' },
      {
        type: 'identify',
        context: { ip: '2001:db8:85a3::' },
        traits: { ip: '192.168.1.0', email: REDACTED, phone: hashed },
      },
    ]);
    expect(JSON.stringify(published)).not.toMatch(/ada@example|7946|192\.168\.1\.1/);
  });

  it('keeps a rejected Segment call in failed_events with the same values replaced', async () => {
    const { intake, kept } = intakeWith();

    await intake.accept(
      [{ errors: [{ field: 'event', message: 'is required' }], original: { properties: PERSONAL } }],
      {
        keepRejectedAs: 'Segment call',
      },
    );

    expect(kept).toHaveLength(1);
    expect(JSON.parse(kept[0]?.rawBody ?? '')).toEqual({
      properties: { ip: '192.168.1.0', email: REDACTED, phone: keyedHash(SECRET, PERSONAL.phone) },
    });
  });
});
