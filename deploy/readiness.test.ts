import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/errors.js';
import { assertDeployable, deploymentProblems } from './readiness.js';
import { PLACEHOLDER_BROKER_ARN, PLACEHOLDER_SECRET_ARN } from './settings.js';

const PRODUCTION = {
  mqBrokerArn: 'arn:aws:mq:eu-west-1:123456789012:broker:user-activity:b-1234abcd-56ef-78ab-90cd-1234567890ab',
  mqSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:user-activity-mq-AbCdEf',
  databaseUrl: 'ssm:/user-activity/prod/database-url',
  rabbitmqUrl: 'ssm:/user-activity/prod/rabbitmq-url',
  apiKeys: 'ssm:/user-activity/prod/api-keys',
  adminApiKeys: 'ssm:/user-activity/prod/admin-api-keys',
  privacyHashKey: 'ssm:/user-activity/prod/privacy-hash-key',
};

describe('deployment readiness', () => {
  it('lets the local stage package and run with nothing set', () => {
    expect(() => assertDeployable({}, { stage: 'dev', deploying: false })).not.toThrow();
  });

  it('names every missing setting of another stage in one error', () => {
    const refuse = () => assertDeployable({}, { stage: 'prod', deploying: false });
    expect(refuse).toThrowError(ConfigError);
    expect(refuse).toThrowError(
      /stage prod cannot be packaged[\s\S]*MQ_BROKER_ARN[\s\S]*MQ_SECRET_ARN[\s\S]*DATABASE_URL[\s\S]*RABBITMQ_URL[\s\S]*API_KEYS[\s\S]*ADMIN_API_KEYS[\s\S]*PRIVACY_HASH_KEY/,
    );
  });

  it('counts a placeholder copied into the settings as missing', () => {
    const copied = { ...PRODUCTION, mqBrokerArn: PLACEHOLDER_BROKER_ARN, mqSecretArn: PLACEHOLDER_SECRET_ARN };
    expect(deploymentProblems(copied)).toEqual([
      expect.stringMatching(/^MQ_BROKER_ARN .*placeholder/),
      expect.stringMatching(/^MQ_SECRET_ARN .*placeholder/),
    ]);
  });

  it('checks a deploy of the local stage as it checks any other', () => {
    expect(() => assertDeployable({}, { stage: 'dev', deploying: true })).toThrowError(/stage dev cannot be deployed/);
  });

  it('accepts the production settings, and no write keys only when publicWrite says so', () => {
    expect(deploymentProblems(PRODUCTION)).toEqual([]);
    const { apiKeys: _, ...withoutKeys } = PRODUCTION;
    expect(deploymentProblems(withoutKeys)).toEqual([expect.stringMatching(/^API_KEYS .*publicWrite=true/)]);
    expect(deploymentProblems({ ...withoutKeys, publicWrite: 'true' })).toEqual([]);
  });

  it("lets persist's own database URL be unset, and takes it as an SSM name", () => {
    expect(deploymentProblems({ ...PRODUCTION, persistDatabaseUrl: '' })).toEqual([]);
    expect(
      deploymentProblems({ ...PRODUCTION, persistDatabaseUrl: 'ssm:/user-activity/prod/persist-database-url' }),
    ).toEqual([]);
  });

  it.each([
    ['databaseUrl', 'mysql://app:secret@db.internal:3306/user_activity_db', 'DATABASE_URL'],
    ['rabbitmqUrl', 'amqps://app:secret@b-1.mq.eu-west-1.amazonaws.com:5671', 'RABBITMQ_URL'],
    ['apiKeys', 'a-write-key-of-24-chars!', 'API_KEYS'],
    ['readApiKeys', 'a-read-key-of-24-chars!!', 'READ_API_KEYS'],
    ['persistDatabaseUrl', 'mysql://persist:secret@db.internal:3306/user_activity_db', 'PERSIST_DATABASE_URL'],
  ])('refuses %s given as the secret itself rather than an SSM name', (param, value, variable) => {
    const problems = deploymentProblems({ ...PRODUCTION, [param]: value });
    expect(problems).toEqual([
      `${variable} (or --param ${param}=…): must name an SSM SecureString parameter as ssm:/path, not hold the secret`,
    ]);
    expect(problems.join()).not.toContain(value);
  });
});
