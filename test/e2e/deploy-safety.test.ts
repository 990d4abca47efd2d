import { execFile, spawnSync } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_VARIABLES } from '../../lib/config.js';
import { toolSettings } from '../../tools/env.js';
import type { Template } from '../support/event-source-mapping.js';
import {
  ofType,
  packageInto,
  policiesByFunction,
  SERVERLESS,
  type Statement,
  templateIn,
  UNSET,
} from '../support/packaged-template.js';

const run = promisify(execFile);
const hasCfnLint = spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;

const BROKER = 'arn:aws:mq:eu-west-1:123456789012:broker:user-activity:b-1234abcd-56ef-78ab-90cd-1234567890ab';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:user-activity-mq-AbCdEf';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:user-activity-alerts';
const PARAMETER = {
  database: '/user-activity/prod/database-url',
  persistDatabase: '/user-activity/prod/persist-database-url',
  broker: '/user-activity/prod/rabbitmq-url',
  writeKeys: '/user-activity/prod/api-keys',
  readKeys: '/user-activity/prod/read-api-keys',
  adminKeys: '/user-activity/prod/admin-api-keys',
  hashKey: '/user-activity/prod/privacy-hash-key',
};
const PRODUCTION_PARAMS = [
  `--param=mqBrokerArn=${BROKER}`,
  `--param=mqSecretArn=${SECRET}`,
  `--param=databaseUrl=ssm:${PARAMETER.database}`,
  `--param=persistDatabaseUrl=ssm:${PARAMETER.persistDatabase}`,
  `--param=rabbitmqUrl=ssm:${PARAMETER.broker}`,
  `--param=apiKeys=ssm:${PARAMETER.writeKeys}`,
  `--param=readApiKeys=ssm:${PARAMETER.readKeys}`,
  `--param=adminApiKeys=ssm:${PARAMETER.adminKeys}`,
  `--param=privacyHashKey=ssm:${PARAMETER.hashKey}`,
  `--param=alarmTopicArn=${TOPIC}`,
  '--param=vpcSubnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210',
  '--param=vpcSecurityGroupIds=sg-0123456789abcdef0',
  '--param=logRetentionDays=90',
];

// What each function may read, as the issue states it: persist alone gets the broker's description and secret,
// the read functions nothing of the broker, each the secrets it uses and no other.
// The privacy hash key goes to every function that hashes a subject or checks a key (lib/config.ts wants it then).
const { database, persistDatabase, broker, writeKeys, readKeys, adminKeys, hashKey } = PARAMETER;
const EXPECTED_PARAMETERS: Record<string, string[]> = {
  // The database holds the suppression list and counts what a tracking plan refuses.
  Track: [broker, database, writeKeys, hashKey],
  Batch: [broker, database, writeKeys, hashKey],
  Segment: [broker, database, writeKeys, hashKey],
  SegmentSettings: [writeKeys, hashKey],
  GetEvent: [database, writeKeys, readKeys, hashKey],
  ListActivities: [database, writeKeys, readKeys, hashKey],
  DebuggerData: [database, writeKeys, readKeys, hashKey],
  Stats: [broker, database, writeKeys, readKeys, hashKey],
  Metrics: [broker, database, writeKeys, readKeys, hashKey],
  Health: [broker, database, hashKey],
  Liveness: [],
  Openapi: [],
  DebuggerPage: [],
  // Its own way to the database too (PERSIST_DATABASE_URL), which no other function gets.
  Persist: [database, persistDatabase, hashKey],
  CreateRegulation: [database, adminKeys, hashKey],
  ReadRegulations: [database, adminKeys, hashKey],
  EraseRegulated: [database, hashKey],
};

const outputs: string[] = [];
afterAll(async () => {
  await Promise.all(outputs.map((out) => rm(out, { recursive: true, force: true })));
});

const packaged = async (env: Record<string, string>, args: string[]) => {
  const out = await packageInto(env, args);
  outputs.push(out);
  return { out, template: await templateIn(out) };
};

/** cfn-lint's findings; W3005 (a DependsOn also implied by a Ref or GetAtt) is osls's own habit, harmless. */
const cfnLint = async (out: string) =>
  run('cfn-lint', ['--ignore-checks', 'W3005', '--', join(out, 'cloudformation-template-update-stack.json')]).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );

const ssmParameterOf = (resource: unknown) =>
  /:parameter(\/.+)$/.exec(JSON.stringify((resource as { 'Fn::Sub': string })['Fn::Sub']).slice(1, -1))?.[1];

/** A role's statements sorted into what they grant; anything else is returned in `other`. */
const grants = (statements: Statement[]) => {
  const of = (action: string) => statements.filter((s) => s.Action.includes(action));
  return {
    logs: of('logs:PutLogEvents').flatMap((s) => [s.Resource].flat()),
    parameters: of('ssm:GetParameters')
      .flatMap((s) => [s.Resource].flat())
      .map(ssmParameterOf),
    brokers: of('mq:DescribeBroker').flatMap((s) => [s.Resource].flat()),
    secrets: of('secretsmanager:GetSecretValue').flatMap((s) => [s.Resource].flat()),
    network: of('ec2:CreateNetworkInterface'),
    actions: statements.flatMap((s) => s.Action),
    other: statements.filter(
      (s) =>
        s.Effect !== 'Allow' ||
        !s.Action.every((a) =>
          /^(logs:(CreateLogStream|PutLogEvents)|ssm:GetParameters|mq:DescribeBroker|secretsmanager:GetSecretValue|ec2:.*)$/.test(
            a,
          ),
        ),
    ),
  };
};

describe('serverless package --stage prod with nothing set', () => {
  it('stops within seconds, before building anything, naming every missing setting once', async () => {
    const started = Date.now();
    const failure = await packageInto({}, ['--stage', 'prod']).then(
      () => undefined,
      async (error: Error & { out: string }) => {
        outputs.push(error.out);
        return { message: error.message, written: await readdir(error.out) };
      },
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(failure?.written).toEqual([]);
    for (const setting of ['MQ_BROKER_ARN', 'MQ_SECRET_ARN', 'DATABASE_URL', 'RABBITMQ_URL', 'API_KEYS']) {
      expect(failure?.message.match(new RegExp(`- ${setting} \\(`, 'g')), setting).toHaveLength(1);
    }
    expect(failure?.message.match(/cannot be packaged/g)).toHaveLength(1);
  }, 60_000);
});

describe('serverless deploy of the local stage with nothing set', () => {
  it('is refused as any other stage, before a call to AWS', async () => {
    // No credentials at all: were the check to let it through, it would fail on AWS instead, with another message.
    const failure = await run(SERVERLESS, ['deploy'], {
      env: {
        ...process.env,
        ...UNSET,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: 'uat-no-such-profile',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 60_000,
    }).then(
      () => 'deployed',
      (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
    );
    expect(failure).toMatch(/stage dev cannot be deployed[\s\S]*- MQ_BROKER_ARN[\s\S]*- API_KEYS/);
  }, 70_000);
});

describe('serverless package with a malformed setting', () => {
  it('prints the problem once, not once per place the settings are used', async () => {
    const failure = await packageInto({ CORS_ORIGINS: 'https://app.example.com/' }).then(
      () => '',
      (error: Error & { out: string }) => {
        outputs.push(error.out);
        return error.message;
      },
    );
    expect(failure.match(/CORS_ORIGINS \(or stage parameter corsOrigins\) must be/g)).toHaveLength(1);
  }, 60_000);
});

describe('serverless package --stage prod with the production settings', () => {
  let out: string;
  let template: Template;

  beforeAll(async () => {
    ({ out, template } = await packaged({}, ['--stage', 'prod', ...PRODUCTION_PARAMS]));
  }, 150_000);

  it('gives each function a role of its own that grants only what that function does', () => {
    const policies = policiesByFunction(template);
    expect(Object.keys(policies).sort()).toEqual(Object.keys(EXPECTED_PARAMETERS).sort());
    expect(ofType(template, 'AWS::IAM::Role')).toHaveLength(Object.keys(EXPECTED_PARAMETERS).length);
    for (const [fn, statements] of Object.entries(policies)) {
      const granted = grants(statements);
      expect(granted.other, fn).toEqual([]);
      expect(granted.logs, fn).toEqual([
        { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${fn}LogGroup}:*` },
      ]);
      expect(granted.parameters.sort(), fn).toEqual([...(EXPECTED_PARAMETERS[fn] ?? [])].sort());
      expect(granted.brokers, fn).toEqual(fn === 'Persist' ? [BROKER] : []);
      expect(granted.secrets, fn).toEqual(fn === 'Persist' ? [SECRET] : []);
      // In a VPC every function manages its network interfaces; persist's Amazon MQ source needs more of them,
      // in the same statement: no action is granted twice.
      expect(granted.network, fn).toHaveLength(1);
      expect(new Set(granted.actions).size, fn).toBe(granted.actions.length);
    }
  });

  it('puts no secret in any function’s environment, only the names of the parameters it may read', () => {
    for (const [id, fn] of ofType(template, 'AWS::Lambda::Function')) {
      const name = id.replace(/LambdaFunction$/, '');
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, string> };
      const secrets = SECRET_VARIABLES.filter((v) => Variables[v]);
      expect(secrets.map((v) => Variables[v]).sort(), name).toEqual(
        (EXPECTED_PARAMETERS[name] ?? []).map((p) => `ssm:${p}`).sort(),
      );
      for (const value of Object.values(Variables)) expect(value, name).not.toMatch(/:\/\/[^/]*@/);
    }
  });

  it('keeps every log group for the days given', () => {
    const groups = ofType(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED_PARAMETERS).length);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(90);
  });

  it('alarms on dead letters, persist failures, event lag and 5xx, notifying the topic given', () => {
    const alarms = Object.fromEntries(ofType(template, 'AWS::CloudWatch::Alarm'));
    expect(Object.keys(alarms).sort()).toEqual([
      'DeadLettersAlarm',
      'EventLagAlarm',
      'Http5xxAlarm',
      'PersistFailuresAlarm',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties).toMatchObject({ AlarmActions: [TOPIC], OKActions: [TOPIC] });
    }
    expect(alarms.DeadLettersAlarm?.Properties.Dimensions).toContainEqual({
      Name: 'Queue',
      Value: 'user_activity_events.dlq',
    });
    expect(JSON.stringify(alarms.PersistFailuresAlarm?.Properties)).toContain('"Ref":"PersistLambdaFunction"');
  });

  it.skipIf(!hasCfnLint && !toolSettings().ci)(
    'passes cfn-lint',
    async () => {
      expect(await cfnLint(out)).toBe('');
    },
    60_000,
  );
});

describe('serverless package for the local stage, with nothing set', () => {
  let out: string;
  let template: Template;

  beforeAll(async () => {
    ({ out, template } = await packaged({}, []));
  }, 150_000);

  it('packages with a role per function and no alarm topic', () => {
    expect(Object.keys(policiesByFunction(template))).toContain('Persist');
    expect(ofType(template, 'AWS::IAM::Role')).toHaveLength(Object.keys(EXPECTED_PARAMETERS).length);
    for (const [, alarm] of ofType(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties).not.toHaveProperty('AlarmActions');
    }
    for (const [id, group] of ofType(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays, id).toBe(30);
    }
  });

  it.skipIf(!hasCfnLint && !toolSettings().ci)(
    'passes cfn-lint',
    async () => {
      expect(await cfnLint(out)).toBe('');
    },
    60_000,
  );
});
