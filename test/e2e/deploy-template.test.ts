import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardQueueNames } from '../../lib/rabbitmq/shards.js';
import { mqMappingProblems, type Template } from '../support/event-source-mapping.js';
import { packageInto, policiesByFunction, templateIn, UNSET } from '../support/packaged-template.js';

const run = promisify(execFile);
const SERVERLESS = 'node_modules/.bin/serverless';

const BROKER = 'arn:aws:mq:eu-west-1:123456789012:broker:user-activity:b-1234abcd-56ef-78ab-90cd-1234567890ab';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:user-activity-mq-AbCdEf';
const SUBNETS = ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'];
const SECURITY_GROUPS = ['sg-0123456789abcdef0'];

const outputs: string[] = [];

/** `serverless package` into a folder of its own; returns the CloudFormation template it wrote. */
const packageWith = async (env: Record<string, string>, args: string[] = []): Promise<Template> => {
  const out = await packageInto(env, args);
  outputs.push(out);
  return templateIn(out);
};

const ofType = (template: Template, type: string) =>
  Object.values(template.Resources).filter((resource) => resource.Type === type);

const httpApiOf = (template: Template) => ofType(template, 'AWS::ApiGatewayV2::Api')[0]?.Properties;

const mappings = (template: Template) => ofType(template, 'AWS::Lambda::EventSourceMapping').map((r) => r.Properties);

// What a role may allow: its function's own log group, the broker and its secret for persist's mappings, the SSM
// parameters its secrets name, and the network-interface actions Lambda documents for Amazon MQ sources and for
// functions in a VPC (they take no resource-level restriction).
// https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
const LOG_ACTIONS = new Set(['logs:CreateLogStream', 'logs:PutLogEvents']);
const NETWORK_ACTIONS = new Set([
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeVpcs',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeSubnets',
  'ec2:DescribeSecurityGroups',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

/** Statements of any function's role that allow anything beyond that list (nothing = least privilege). */
const broaderStatements = (template: Template, broker: string, secret: string) =>
  Object.entries(policiesByFunction(template)).flatMap(([fn, statements]) =>
    statements
      .filter((statement) => {
        const actions = new Set(statement.Action);
        const resources = [statement.Resource].flat();
        const only = (allowed: Set<string>) => [...actions].every((action) => allowed.has(action));
        if (statement.Effect !== 'Allow') return false;
        if (only(LOG_ACTIONS)) return !resources.every((r) => JSON.stringify(r).includes(`\${${fn}LogGroup}`));
        if (only(new Set(['secretsmanager:GetSecretValue'])))
          return fn !== 'Persist' || !resources.every((r) => r === secret);
        if (only(new Set(['mq:DescribeBroker']))) return fn !== 'Persist' || !resources.every((r) => r === broker);
        return !only(NETWORK_ACTIONS);
      })
      .map((statement) => ({ fn, statement })),
  );

afterAll(async () => {
  await Promise.all(outputs.map((out) => rm(out, { recursive: true, force: true })));
});

describe('the ESM property check', () => {
  it('flags what the template had before issue 11: a batching window in fractions of a second', () => {
    const template = { Resources: { PersistLambdaFunction: { Type: 'AWS::Lambda::Function', Properties: {} } } };
    const properties = {
      FunctionName: { 'Fn::GetAtt': ['PersistLambdaFunction', 'Arn'] },
      EventSourceArn: BROKER,
      Queues: ['user_activity_events'],
      SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: SECRET }],
      BatchSize: 100,
    };
    expect(mqMappingProblems(properties, template)).toEqual([]);
    expect(mqMappingProblems({ ...properties, MaximumBatchingWindowInSeconds: 0.5 }, template)).toEqual([
      'MaximumBatchingWindowInSeconds 0.5 is not an integer from 0 to 300',
    ]);
    expect(mqMappingProblems({ ...properties, Queues: ['a', 'b'], StartingPosition: 'LATEST' }, template)).toHaveLength(
      2,
    );
  });
});

describe('serverless package with the defaults', () => {
  let template: Template;

  beforeAll(async () => {
    template = await packageWith({});
  }, 150_000);

  it('runs every function on nodejs24.x', () => {
    const runtimes = ofType(template, 'AWS::Lambda::Function').map((fn) => fn.Properties.Runtime);
    expect(runtimes.length).toBeGreaterThan(1);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
  });

  it('maps the one queue and leaves the batching window out, for AWS 500 ms default', () => {
    const [mapping, ...others] = mappings(template);
    expect(others).toEqual([]);
    expect(mapping).toMatchObject({ Queues: ['user_activity_events'], BatchSize: 100 });
    expect(mapping).not.toHaveProperty('MaximumBatchingWindowInSeconds');
    expect(mqMappingProblems(mapping!, template)).toEqual([]);
  });

  it('keeps the functions out of a VPC and throttles the HTTP API at the default rate', () => {
    for (const fn of ofType(template, 'AWS::Lambda::Function')) expect(fn.Properties).not.toHaveProperty('VpcConfig');
    const [stage] = ofType(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 1000,
      ThrottlingBurstLimit: 2000,
    });
  });

  it('gives the HTTP API no CORS configuration, so API Gateway adds no CORS header', () => {
    expect(httpApiOf(template)).toBeDefined();
    expect(httpApiOf(template)).not.toHaveProperty('CorsConfiguration');
  });

  it('lets only persist read the broker and its secret, and each function its own logs', () => {
    const { EventSourceArn, SourceAccessConfigurations } = mappings(template)[0]!;
    const access = SourceAccessConfigurations as Array<{ Type: string; URI: string }>;
    const secret = access.find((entry) => entry.Type === 'BASIC_AUTH')?.URI ?? '';
    expect(broaderStatements(template, EventSourceArn as string, secret)).toEqual([]);
    expect(policiesByFunction(template).Persist?.flatMap((s) => s.Action)).toContain('mq:DescribeBroker');
  });
});

describe('serverless package with RABBITMQ_SHARDS=4, a VPC, throttling, CORS and stage parameters', () => {
  let template: Template;
  const queues = shardQueueNames('user_activity_events', 4);

  beforeAll(async () => {
    template = await packageWith(
      {
        RABBITMQ_SHARDS: '4',
        PERSIST_BATCH_WINDOW_SECONDS: '0',
        MQ_SECRET_ARN: SECRET,
        VPC_SUBNET_IDS: SUBNETS.join(', '),
        VPC_SECURITY_GROUP_IDS: SECURITY_GROUPS.join(','),
        // The stage parameter below wins over this.
        HTTP_API_RATE_LIMIT: '999',
        HTTP_API_BURST_LIMIT: '500',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      },
      [
        `--param=mqBrokerArn=${BROKER}`,
        '--param=httpApiRateLimit=250',
        '--param=databaseUrl=mysql://app@db.internal:3306/user_activity_db',
      ],
    );
  }, 150_000);

  it('renders one event source mapping per shard queue, each valid for Amazon MQ', () => {
    const all = mappings(template);
    expect(all.map((m) => (m.Queues as string[])[0]).sort()).toEqual([...queues].sort());
    for (const mapping of all) {
      expect(mqMappingProblems(mapping, template)).toEqual([]);
      expect(mapping).toMatchObject({
        EventSourceArn: BROKER,
        FunctionName: { 'Fn::GetAtt': ['PersistLambdaFunction', 'Arn'] },
        SourceAccessConfigurations: [
          { Type: 'BASIC_AUTH', URI: SECRET },
          { Type: 'VIRTUAL_HOST', URI: '/' },
        ],
        // Written although osls leaves out a 0 (deploy/stack-extensions.ts): absent would mean 500 ms.
        MaximumBatchingWindowInSeconds: 0,
      });
    }
  });

  it('tells the functions the shard count the mappings were made for, and the database from the parameter', () => {
    for (const fn of ofType(template, 'AWS::Lambda::Function')) {
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, string> };
      expect(Variables).toMatchObject({ RABBITMQ_SHARDS: '4' });
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
    }
    // Only the functions that read or write MySQL are given its URL (deploy/environment.ts).
    const withDatabase = Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .filter(([, r]) => (r.Properties.Environment as { Variables: Record<string, string> }).Variables.DATABASE_URL)
      .map(([id]) => id.replace(/LambdaFunction$/, ''));
    expect(withDatabase.sort()).toEqual(
      [
        'Batch',
        'CreateRegulation',
        'DebuggerData',
        'GetEvent',
        'Health',
        'ListActivities',
        'Metrics',
        'Persist',
        'ReadRegulations',
        'Segment',
        'Stats',
        'Track',
        'EraseRegulated',
      ].sort(),
    );
    for (const id of withDatabase) {
      const { Variables } = template.Resources[`${id}LambdaFunction`]!.Properties.Environment as {
        Variables: Record<string, string>;
      };
      expect(Variables.DATABASE_URL).toBe('mysql://app@db.internal:3306/user_activity_db');
    }
  });

  it('puts every function in the VPC subnets and security groups given', () => {
    for (const fn of ofType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: SUBNETS, SecurityGroupIds: SECURITY_GROUPS });
    }
  });

  it('throttles the HTTP API stage at the rate and burst given', () => {
    const [stage] = ofType(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 250,
      ThrottlingBurstLimit: 500,
    });
  });

  it('lets pages of the CORS_ORIGINS call the HTTP API, without credentials', () => {
    expect(httpApiOf(template)?.CorsConfiguration).toEqual({
      AllowOrigins: ['https://app.example.com', 'http://localhost:5173'],
      AllowMethods: ['GET', 'POST', 'OPTIONS'],
      AllowHeaders: ['Content-Type', 'Authorization', 'Content-Encoding', 'X-Retry-Count'],
      ExposeHeaders: ['Retry-After'],
      MaxAge: 600,
    });
  });

  it('grants the network-interface actions in place of the broader AWSLambdaVPCAccessExecutionRole', () => {
    expect(broaderStatements(template, BROKER, SECRET)).toEqual([]);
    for (const statements of Object.values(policiesByFunction(template))) {
      expect(statements.flatMap((s) => s.Action)).toEqual(
        expect.arrayContaining(['ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses']),
      );
    }
  });
});

describe('serverless package with a batching window in whole seconds', () => {
  it('writes the window into every mapping', async () => {
    const template = await packageWith({ RABBITMQ_SHARDS: '2', PERSIST_BATCH_WINDOW_SECONDS: '7' });
    const all = mappings(template);
    expect(all).toHaveLength(2);
    for (const mapping of all) {
      expect(mapping.MaximumBatchingWindowInSeconds).toBe(7);
      expect(mqMappingProblems(mapping, template)).toEqual([]);
    }
  }, 150_000);

  it.each([
    [{ PERSIST_BATCH_WINDOW_SECONDS: '1.5' }, /PERSIST_BATCH_WINDOW_SECONDS must be whole seconds from 0 to 300/],
    [{ PERSIST_BATCH_WINDOW_SECONDS: '301' }, /PERSIST_BATCH_WINDOW_SECONDS must be whole seconds from 0 to 300/],
    [{ RABBITMQ_SHARDS: '65' }, /RABBITMQ_SHARDS must be an integer from 1 to 64/],
    [{ VPC_SUBNET_IDS: SUBNETS[0]! }, /VPC_SECURITY_GROUP_IDS \(or stage parameter vpcSecurityGroupIds\) must be set/],
    [{ MQ_BROKER_ARN: 'b-1234' }, /MQ_BROKER_ARN \(or stage parameter mqBrokerArn\) must be an ARN/],
    [{ CORS_ORIGINS: 'https://app.example.com/' }, /CORS_ORIGINS \(or stage parameter corsOrigins\) must be comma-sep/],
  ])(
    'refuses to package with %o, naming the setting',
    async (env, message) => {
      const out = await mkdtemp(join(tmpdir(), 'uat-deploy-'));
      outputs.push(out);
      const failure = await run(SERVERLESS, ['package', '--package', out], {
        env: { ...process.env, ...UNSET, ...env },
        timeout: 60_000,
      }).then(
        () => undefined,
        (error: { stdout: string; stderr: string }) => `${error.stdout}${error.stderr}`,
      );
      expect(failure).toMatch(message);
    },
    70_000,
  );
});
