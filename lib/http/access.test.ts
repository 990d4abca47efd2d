import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { accessWarnings, adminAccess, readAccess, writeAccess } from './access.js';

const writeKey = 'write-key-0123456789';
const readKey = 'read-key-0123456789';
const adminKey = 'admin-key-0123456789';
// Required once any key is set (issue 19); it changes nothing about who may call what.
const PRIVACY_HASH_KEY = 'privacy-hash-key-0123456789';

describe('API key access', () => {
  it.each([
    ['nothing configured', {}, { open: true }, { open: true }],
    ['API_KEYS only', { API_KEYS: writeKey }, { open: false, keys: [writeKey] }, { open: false, keys: [] }],
    [
      'both',
      { API_KEYS: `${writeKey}, other-key-0123456789`, READ_API_KEYS: readKey },
      { open: false, keys: [writeKey, 'other-key-0123456789'] },
      { open: false, keys: [readKey] },
    ],
    ['READ_API_KEYS only', { READ_API_KEYS: readKey }, { open: true }, { open: false, keys: [readKey] }],
  ])('with %s', (_case, env, write, read) => {
    const config = parseConfig({ PRIVACY_HASH_KEY, ...env });
    expect(writeAccess(config)).toEqual(write);
    expect(readAccess(config)).toEqual(read);
  });

  it('warns about open endpoints and a closed read API, without echoing keys', () => {
    expect(accessWarnings(parseConfig({}))).toHaveLength(3);
    const warnings = accessWarnings(parseConfig({ API_KEYS: writeKey, PRIVACY_HASH_KEY }));
    expect(warnings).toEqual([
      'READ_API_KEYS is not set while API_KEYS is: the read API is closed',
      'ADMIN_API_KEYS is not set while other keys are: the regulations API is closed',
    ]);
    expect(warnings.join()).not.toContain(writeKey);
  });

  it.each([
    ['no key of any kind', {}, { open: true }],
    ['write keys only', { API_KEYS: writeKey }, { open: false, keys: [] }],
    ['read keys only', { READ_API_KEYS: readKey }, { open: false, keys: [] }],
    ['admin keys', { API_KEYS: writeKey, ADMIN_API_KEYS: adminKey }, { open: false, keys: [adminKey] }],
    ['admin keys alone', { ADMIN_API_KEYS: adminKey }, { open: false, keys: [adminKey] }],
  ])('opens the admin endpoints to admin keys only, with %s', (_case, env, admin) => {
    expect(adminAccess(parseConfig({ PRIVACY_HASH_KEY, ...env }))).toEqual(admin);
  });

  it('refuses short keys at start-up without printing them', () => {
    expect(() => parseConfig({ API_KEYS: 'short' })).toThrowError(ConfigError);
    expect(() => parseConfig({ API_KEYS: 'short' })).toThrowError(/^Invalid configuration: API_KEYS must be/);
    expect(() => parseConfig({ API_KEYS: 'short' })).not.toThrowError(/short/);
  });
});
