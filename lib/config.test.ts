import { describe, expect, it } from 'vitest';
import { parseConfig, withSecrets } from './config.js';
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

describe('secrets given as SSM parameter names', () => {
  const parameters: Record<string, string> = {
    '/uat/prod/database-url': 'mysql://app:p%2Fw@db.internal:3306/user_activity_db',
    '/uat/prod/api-keys': 'k'.repeat(24),
  };
  const reader = (asked: string[][]) => async (names: string[]) => {
    asked.push(names);
    return Object.fromEntries(names.filter((name) => name in parameters).map((name) => [name, parameters[name]!]));
  };

  it('reads each named parameter once and parses the values as if they had been set', async () => {
    const asked: string[][] = [];
    const env = await withSecrets(
      {
        DATABASE_URL: 'ssm:/uat/prod/database-url',
        API_KEYS: 'ssm:/uat/prod/api-keys',
        PRIVACY_HASH_KEY: 'h'.repeat(24),
        LOG_LEVEL: 'WARN',
      },
      reader(asked),
    );
    expect(asked).toEqual([['/uat/prod/database-url', '/uat/prod/api-keys']]);
    expect(parseConfig(env)).toMatchObject({
      databaseUrl: 'mysql://app:p%2Fw@db.internal:3306/user_activity_db',
      apiKeys: ['k'.repeat(24)],
      logLevel: 'WARN',
    });
  });

  it('asks SSM nothing when no setting names a parameter', async () => {
    const asked: string[][] = [];
    await withSecrets({ DATABASE_URL: 'mysql://127.0.0.1/db' }, reader(asked));
    expect(asked).toEqual([]);
  });

  it('names the setting whose parameter does not exist, and never parses a reference as a value', async () => {
    await expect(withSecrets({ RABBITMQ_URL: 'ssm:/uat/prod/broker-url' }, reader([]))).rejects.toThrow(
      'RABBITMQ_URL names SSM parameter /uat/prod/broker-url, which was not found',
    );
    expect(() => parseConfig({ DATABASE_URL: 'ssm:/uat/prod/database-url' })).toThrow(
      'DATABASE_URL names SSM parameter /uat/prod/database-url, which was not read',
    );
  });

  it('keeps one database connection per Lambda instance unless DB_POOL_SIZE says otherwise', () => {
    expect(parseConfig({}).dbPoolSize).toBe(5);
    expect(parseConfig({ AWS_LAMBDA_FUNCTION_NAME: 'uat-prod-getEvent' }).dbPoolSize).toBe(1);
    expect(parseConfig({ AWS_LAMBDA_FUNCTION_NAME: 'uat-dev-getEvent', IS_OFFLINE: 'true' }).dbPoolSize).toBe(5);
    expect(parseConfig({ AWS_LAMBDA_FUNCTION_NAME: 'uat-prod-getEvent', DB_POOL_SIZE: '3' }).dbPoolSize).toBe(3);
  });
});

describe('passwords given apart from their URL', () => {
  it.each(['p/a#ss:w@rd?', 'plain', '100%41 &+='])(
    'puts %j into the URLs so that the drivers read it back',
    (password) => {
      const config = parseConfig({
        DATABASE_URL: 'mysql://activity@mysql:3306/user_activity_db',
        DATABASE_PASSWORD: password,
        RABBITMQ_URL: 'amqp://activity@rabbitmq:5672',
        RABBITMQ_PASSWORD: password,
      });
      for (const url of [config.databaseUrl, config.rabbitmqUrl]) {
        const parsed = new URL(url);
        expect(decodeURIComponent(parsed.password)).toBe(password);
        expect(parsed.username).toBe('activity');
      }
      expect(new URL(config.databaseUrl).host).toBe('mysql:3306');
      expect(config.databaseName).toBe('user_activity_db');
    },
  );
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

describe("config: persist's own database URL", () => {
  const API = 'mysql://activity@db.internal:3306/user_activity_db';

  it('gives persist the database URL of the rest unless PERSIST_DATABASE_URL is set', () => {
    const config = parseConfig({ DATABASE_URL: API, DATABASE_PASSWORD: 'p/w' });
    expect(config.persistDatabaseUrl).toBe(config.databaseUrl);
    expect(parseConfig({ PERSIST_DATABASE_URL: ' ' }).persistDatabaseUrl).toBe(parseConfig({}).databaseUrl);
  });

  it('reads it as given, with its own password: DATABASE_PASSWORD is the other user’s', () => {
    const config = parseConfig({
      DATABASE_URL: API,
      DATABASE_PASSWORD: 'api-secret',
      PERSIST_DATABASE_URL: 'mysql://persist:persist-secret@writer.internal:3307/user_activity_db',
    });
    expect(config.persistDatabaseUrl).toBe('mysql://persist:persist-secret@writer.internal:3307/user_activity_db');
    expect(new URL(config.databaseUrl).password).toBe('api-secret');
    expect(config.databaseName).toBe('user_activity_db');
  });

  it.each([
    ['not a URL', 'not a url', /is not a valid URL/],
    ['another scheme', 'postgres://db.internal/user_activity_db', /must start with mysql:\/\//],
    ['no database', 'mysql://db.internal/', /must name a database/],
    [
      'another database',
      'mysql://db.internal/other_db',
      /must name the database DATABASE_URL names \(user_activity_db\)/,
    ],
  ])('names PERSIST_DATABASE_URL when it is %s', (_case, value, message) => {
    const parse = () => parseConfig({ DATABASE_URL: API, PERSIST_DATABASE_URL: value });
    expect(parse).toThrowError(/^Invalid configuration: PERSIST_DATABASE_URL /);
    expect(parse).toThrowError(message);
  });

  it('may name an SSM parameter, read at start like DATABASE_URL', async () => {
    const url = 'mysql://persist:s3cret@db.internal:3306/user_activity_db';
    const env = await withSecrets({ PERSIST_DATABASE_URL: 'ssm:/uat/prod/persist-database-url' }, async (names) =>
      Object.fromEntries(names.map((name) => [name, url])),
    );
    expect(parseConfig(env).persistDatabaseUrl).toBe(url);
    expect(() => parseConfig({ PERSIST_DATABASE_URL: 'ssm:/uat/prod/persist-database-url' })).toThrow(
      'PERSIST_DATABASE_URL names SSM parameter /uat/prod/persist-database-url, which was not read',
    );
  });
});
