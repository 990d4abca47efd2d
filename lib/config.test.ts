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
