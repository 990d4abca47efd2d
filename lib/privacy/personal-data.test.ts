import { describe, expect, it } from 'vitest';
import { changesAnything, keyedHash, type PersonalDataRules, REDACTED, scrubPersonalData } from './personal-data.js';

const SECRET = 'a-secret-of-sixteen-chars';
const rules = (overrides: Partial<PersonalDataRules> = {}): PersonalDataRules => ({
  ip: 'keep',
  redactKeys: [],
  hashKeys: [],
  hashKey: SECRET,
  ...overrides,
});

describe('the personal-data rules', () => {
  it('truncates or drops the values of keys named ip at any depth, Segment context.ip included', () => {
    const value = { ip: '192.168.1.1', context: { IP: '2001:db8:85a3::7348' }, list: [{ ip: 'not an address' }] };

    expect(scrubPersonalData(rules({ ip: 'truncate' }))(value)).toEqual({
      ip: '192.168.1.0',
      context: { IP: '2001:db8:85a3::' },
      list: [{}],
    });
    expect(scrubPersonalData(rules({ ip: 'drop' }))(value)).toEqual({ context: {}, list: [{}] });
  });

  it('redacts the values of the named keys whatever their case, type or depth', () => {
    const scrub = scrubPersonalData(rules({ redactKeys: ['email'] }));

    expect(scrub({ Email: 'a@b.c', traits: { EMAIL: ['x@y.z'], nested: { email: { work: 'w@v.u' } } } })).toEqual({
      Email: REDACTED,
      traits: { EMAIL: REDACTED, nested: { email: REDACTED } },
    });
  });

  it('hashes the values of the named keys with HMAC-SHA-256 under the secret, so equal values join', () => {
    const scrub = scrubPersonalData(rules({ hashKeys: ['phone'] }));

    const scrubbed = scrub({ phone: '+33 6 12 34 56 78', context: { traits: { Phone: '+33 6 12 34 56 78' } } });

    const expected = keyedHash(SECRET, '+33 6 12 34 56 78');
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(scrubbed).toEqual({ phone: expected, context: { traits: { Phone: expected } } });
    expect(keyedHash('another-secret-entirely', '+33 6 12 34 56 78')).not.toBe(expected);
  });

  it('hashes a number as its decimal text and keeps a null, which says nothing of anyone', () => {
    const scrub = scrubPersonalData(rules({ hashKeys: ['phone'], redactKeys: ['email'] }));
    expect(scrub({ phone: 5551234, email: null })).toEqual({ phone: keyedHash(SECRET, '5551234'), email: null });
  });

  it('redacts rather than hashes a key named in both lists, and either wins over the IP rule', () => {
    const scrub = scrubPersonalData(rules({ ip: 'truncate', redactKeys: ['ip', 'email'], hashKeys: ['email'] }));
    expect(scrub({ ip: '10.1.2.3', email: 'a@b.c' })).toEqual({ ip: REDACTED, email: REDACTED });
  });

  it('leaves other keys and the original value as they are', () => {
    const value = { ipv4: '10.1.2.3', page: { ip_address: '10.1.2.3', path: '/' }, ip: '10.1.2.3' };
    const copy = structuredClone(value);

    const scrubbed = scrubPersonalData(rules({ ip: 'drop' }))(value);

    expect(scrubbed).toEqual({ ipv4: '10.1.2.3', page: { ip_address: '10.1.2.3', path: '/' } });
    expect(value).toEqual(copy);
  });

  it('changes nothing by default', () => {
    expect(changesAnything(rules())).toBe(false);
    expect(changesAnything(rules({ ip: 'truncate' }))).toBe(true);
    expect(changesAnything(rules({ hashKeys: ['phone'] }))).toBe(true);
  });
});
