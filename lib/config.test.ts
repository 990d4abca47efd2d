import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('config', () => {
  it('works on a developer machine with no variables set', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
      queueName: 'user_activity_events',
      deadLetterQueueName: 'user_activity_events.dlq',
      databaseName: 'user_activity_db',
      maxBodyBytes: 32768,
    });
  });

  it('treats empty variables as unset (serverless.yml passes "" for unset ones)', () => {
    expect(parseConfig({ RABBITMQ_QUEUE: '', PUBLISH_TIMEOUT_MS: ' ' }).queueName).toBe('user_activity_events');
  });

  it('logs at INFO and writes metrics to stdout unless told otherwise, but not under serverless offline', () => {
    expect(parseConfig({})).toMatchObject({ logLevel: 'INFO', metricsOutput: { kind: 'stdout' } });
    expect(parseConfig({ IS_OFFLINE: 'true' }).metricsOutput).toEqual({ kind: 'off' });
    expect(parseConfig({ IS_LOCAL: 'true' }).metricsOutput).toEqual({ kind: 'off' });
    expect(parseConfig({ LOG_LEVEL: 'debug', METRICS_OUTPUT: 'file:/tmp/m.jsonl' })).toMatchObject({
      logLevel: 'DEBUG',
      metricsOutput: { kind: 'file', path: '/tmp/m.jsonl' },
    });
  });

  it.each([
    ['LOG_LEVEL', 'verbose'],
    ['METRICS_OUTPUT', 'cloudwatch'],
    ['PUBLISH_TIMEOUT_MS', 'soon'],
    ['DB_POOL_SIZE', '0'],
    ['RABBITMQ_URL', 'http://localhost'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/'],
  ])('names %s when it is %j', (variable, value) => {
    expect(() => parseConfig({ [variable]: value })).toThrowError(ConfigError);
    expect(() => parseConfig({ [variable]: value })).toThrowError(new RegExp(`^Invalid configuration: ${variable} `));
  });
});

describe('config: personal data and admin keys (issue 19)', () => {
  const KEY = 'k'.repeat(16);

  it('keeps personal data as sent and needs no secret on a developer machine', () => {
    expect(parseConfig({}).personalData).toMatchObject({ ip: 'keep', redactKeys: [], hashKeys: [] });
    expect(parseConfig({}).adminApiKeys).toEqual([]);
  });

  it('reads the rules, key names lower-cased', () => {
    const config = parseConfig({
      PII_IP: 'Truncate',
      PII_REDACT_KEYS: 'Email, ssn',
      PII_HASH_KEYS: 'Phone',
      PRIVACY_HASH_KEY: KEY,
    });
    expect(config.personalData).toEqual({
      ip: 'truncate',
      redactKeys: ['email', 'ssn'],
      hashKeys: ['phone'],
      hashKey: KEY,
    });
  });

  it.each([
    ['hashing is asked for', { PII_HASH_KEYS: 'phone' }],
    ['write keys are set', { API_KEYS: KEY }],
    ['read keys are set', { READ_API_KEYS: KEY }],
    ['admin keys are set', { ADMIN_API_KEYS: KEY }],
  ])('requires PRIVACY_HASH_KEY once %s, without echoing any key', (_case, env) => {
    expect(() => parseConfig(env)).toThrowError(/^Invalid configuration: PRIVACY_HASH_KEY is required/);
    expect(parseConfig({ ...env, PRIVACY_HASH_KEY: KEY }).privacyHashKey).toBe(KEY);
  });

  it.each([
    ['PII_IP', { PII_IP: 'mask' }],
    ['PRIVACY_HASH_KEY', { PRIVACY_HASH_KEY: 'short' }],
    ['ADMIN_API_KEYS', { ADMIN_API_KEYS: 'short', PRIVACY_HASH_KEY: KEY }],
  ])('names %s when it is wrong', (variable, env) => {
    expect(() => parseConfig(env)).toThrowError(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
