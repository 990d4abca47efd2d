import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { parseConfig } from './config.js';

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

  it.each([
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
