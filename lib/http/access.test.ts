import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { accessWarnings, readAccess, writeAccess } from './access.js';

const writeKey = 'write-key-0123456789';
const readKey = 'read-key-0123456789';

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
    const config = parseConfig(env);
    expect(writeAccess(config)).toEqual(write);
    expect(readAccess(config)).toEqual(read);
  });

  it('warns about open endpoints and a closed read API, without echoing keys', () => {
    expect(accessWarnings(parseConfig({}))).toHaveLength(2);
    const warnings = accessWarnings(parseConfig({ API_KEYS: writeKey }));
    expect(warnings).toEqual(['READ_API_KEYS is not set while API_KEYS is: the read API is closed']);
    expect(warnings.join()).not.toContain(writeKey);
  });

  it('refuses short keys at start-up without printing them', () => {
    expect(() => parseConfig({ API_KEYS: 'short' })).toThrowError(ConfigError);
    expect(() => parseConfig({ API_KEYS: 'short' })).toThrowError(/^Invalid configuration: API_KEYS must be/);
    expect(() => parseConfig({ API_KEYS: 'short' })).not.toThrowError(/short/);
  });
});
