import { describe, expect, it } from 'vitest';
import { intakeSteps } from '../../lib/intake/steps.js';
import { keyedHash, type PersonalDataRules, REDACTED } from '../../lib/privacy/personal-data.js';
import { decodeRules, rmqEventOf } from '../../test/factories.js';
import { decodeMessages } from './decode-messages.js';

const SECRET = 'the-deployment-secret';
const RULES: PersonalDataRules = { ip: 'truncate', redactKeys: ['email'], hashKeys: ['phone'], hashKey: SECRET };
const steps = intakeSteps({ maxMessageBytes: 64 * 1024, personalData: RULES });
const PERSONAL = { ip: '192.168.1.1', email: 'ada@example.com', phone: '+44 20 7946 0958' };

describe('persist under the personal-data rules', () => {
  it("applies to another producer's messages that persist reads, stored or kept as poison", () => {
    const timestamp = new Date().toISOString();
    const event = rmqEventOf([
      { body: { user_id: 7, event_type: 'login', timestamp, metadata: PERSONAL } },
      { body: { user_id: 'seven', event_type: 'login', timestamp, metadata: PERSONAL } },
    ]);

    const { valid, failed } = decodeMessages(event, { ...decodeRules(), steps });

    expect(valid.map((message) => message.metadata)).toEqual([
      { ip: '192.168.1.0', email: REDACTED, phone: keyedHash(SECRET, PERSONAL.phone) },
    ]);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.rawBody).not.toMatch(/ada@example|7946|192\.168\.1\.1/);
    expect(JSON.parse(failed[0]?.rawBody ?? '')).toMatchObject({ user_id: 'seven', metadata: { email: REDACTED } });
  });
});
