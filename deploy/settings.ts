import { integer, parseConfig } from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import { PERSIST_BATCH_SIZE, PERSIST_BATCH_WINDOW_SECONDS } from '../lib/rabbitmq/event-source-limits.js';
import { type OperationsSettings, parseOperationsSettings } from './operations-settings.js';

/**
 * The deployment's settings, from serverless.yml's `custom.deploy` as osls resolved it (a stage parameter, else an
 * environment variable, else empty). Checked here so that `serverless package` stops naming the setting that is
 * wrong instead of writing a template that CloudFormation or Lambda would refuse.
 */
export interface DeploySettings {
  /** The base queue; persist consumes `shards` queues named from it (lib/rabbitmq/shards.ts), one mapping each. */
  queue: string;
  /** Queues consumed: RABBITMQ_SHARDS, or RABBITMQ_CONSUMED_SHARDS while the queues of a lowered count drain. */
  shards: number;
  virtualHost: string;
  batchSize: number;
  /** Whole seconds; undefined leaves the property out, the only way to get AWS's 500 ms default. */
  batchingWindowSeconds: number | undefined;
  brokerArn: string;
  secretArn: string;
  vpc: { subnetIds: string[]; securityGroupIds: string[] } | undefined;
  throttle: { rateLimit: number; burstLimit: number };
  /** Origins whose pages may call the API (`*`: any); undefined gives the HTTP API no CORS configuration. */
  corsOrigins: string[] | undefined;
  operations: OperationsSettings;
}

/** `custom.deploy` of serverless.yml after variable resolution: strings, numbers or null. */
export type DeployBlock = Record<string, unknown>;

// Placeholders let `serverless package` and the local runs work without an AWS account; any other stage is refused
// without the real ones (deploy/readiness.ts), since Lambda cannot create a mapping on a broker that does not exist.
export const PLACEHOLDER_BROKER_ARN =
  'arn:aws:mq:eu-west-1:000000000000:broker:user-activity:b-00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:user-activity-mq-000000';

// A guard well under the account's regional HTTP API quota (10,000 requests/s, bursts of 5,000, shared by every API
// of the account in the region); set it from a load test of the real stack.
const DEFAULT_RATE_LIMIT = 1000;
const DEFAULT_BURST_LIMIT = 2000;

// The broker pattern osls checks the `rabbitmq` event against; a secret ARN ends in its name and a 6-character suffix.
const BROKER_ARN = /^arn:[a-z-]+:mq:[a-z0-9-]+:\d{12}:broker:[A-Za-z0-9/_+=.@-]+:b-[a-z0-9-]+$/;
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,150}$/;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

/** How an error names a setting that a stage parameter or a variable can give. */
const setting = (variable: string, param: string) => `${variable} (or stage parameter ${param})`;

const bounded = (raw: string, name: string, fallback: number, min: number, max: number): number =>
  integer({ [name]: raw }, name, fallback, min, max);

const wholeSeconds = (raw: string): number | undefined => {
  // 0.5 was this setting's documented default (a .env copied from an older .env.example has it): it is AWS's
  // default, which only leaving the property out gives.
  if (raw === '' || raw === '0.5') return undefined;
  const name = 'PERSIST_BATCH_WINDOW_SECONDS';
  const { min, max } = PERSIST_BATCH_WINDOW_SECONDS;
  try {
    return bounded(raw, name, min, min, max);
  } catch {
    throw new ConfigError(
      name,
      `must be whole seconds from ${min} to ${max} (Lambda's MaximumBatchingWindowInSeconds is an integer), got "${raw}"; ` +
        "leave it unset for AWS's 500 ms default",
    );
  }
};

const arn = (raw: string, pattern: RegExp, name: string, example: string): string => {
  if (!pattern.test(raw)) throw new ConfigError(name, `must be an ARN like ${example}, got "${raw}"`);
  return raw;
};

const idList = (raw: string, prefix: string, max: number, name: string): string[] => {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const pattern = new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
  if (ids.length > max || ids.some((id) => !pattern.test(id))) {
    throw new ConfigError(name, `must be up to ${max} comma-separated ids like ${prefix}-0123456789abcdef0`);
  }
  return ids;
};

// An origin exactly as a browser sends it (scheme://host[:port], lower case, no default port, no path): API Gateway
// compares the Origin header with each allowed origin, so `https://app.example.com/` would never match.
const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};

const originList = (raw: string, name: string): string[] | undefined => {
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0) return undefined;
  if (origins.includes('*') && origins.length > 1) throw new ConfigError(name, 'must be * alone, or origins without *');
  const bad = origins.find((origin) => origin !== '*' && !isOrigin(origin));
  if (bad !== undefined) {
    throw new ConfigError(
      name,
      `must be comma-separated origins like https://app.example.com or http://localhost:5173 (scheme://host[:port], ` +
        `no path or trailing slash), or *; got "${bad}"`,
    );
  }
  return origins;
};

const vpcOf = (block: DeployBlock): DeploySettings['vpc'] => {
  const subnets = text(block.vpcSubnetIds);
  const securityGroups = text(block.vpcSecurityGroupIds);
  const subnetsName = setting('VPC_SUBNET_IDS', 'vpcSubnetIds');
  const securityGroupsName = setting('VPC_SECURITY_GROUP_IDS', 'vpcSecurityGroupIds');
  if (subnets === '' && securityGroups === '') return undefined;
  if (subnets === '' || securityGroups === '') {
    throw new ConfigError(
      subnets === '' ? subnetsName : securityGroupsName,
      'must be set too: a function in a VPC needs both its subnets and its security groups',
    );
  }
  return {
    subnetIds: idList(subnets, 'subnet', 16, subnetsName),
    securityGroupIds: idList(securityGroups, 'sg', 5, securityGroupsName),
  };
};

export const parseDeploySettings = (block: DeployBlock): DeploySettings => {
  // Queue name and shard count as the functions read them, so the mappings and the publisher cannot disagree.
  const { queueName, consumedShards } = parseConfig({
    RABBITMQ_QUEUE: text(block.rabbitmqQueue),
    RABBITMQ_SHARDS: text(block.rabbitmqShards),
    RABBITMQ_CONSUMED_SHARDS: text(block.rabbitmqConsumedShards),
  });
  return {
    queue: queueName,
    shards: consumedShards,
    virtualHost: text(block.rabbitmqVhost) || '/',
    batchSize: bounded(
      text(block.batchSize),
      'PERSIST_BATCH_SIZE',
      PERSIST_BATCH_SIZE.fallback,
      PERSIST_BATCH_SIZE.min,
      PERSIST_BATCH_SIZE.max,
    ),
    batchingWindowSeconds: wholeSeconds(text(block.batchingWindowSeconds)),
    brokerArn: arn(
      text(block.mqBrokerArn) || PLACEHOLDER_BROKER_ARN,
      BROKER_ARN,
      setting('MQ_BROKER_ARN', 'mqBrokerArn'),
      'arn:aws:mq:eu-west-1:123456789012:broker:user-activity:b-1234abcd-…',
    ),
    secretArn: arn(
      text(block.mqSecretArn) || PLACEHOLDER_SECRET_ARN,
      SECRET_ARN,
      setting('MQ_SECRET_ARN', 'mqSecretArn'),
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:user-activity-mq-AbCdEf',
    ),
    vpc: vpcOf(block),
    throttle: {
      rateLimit: bounded(
        text(block.httpApiRateLimit),
        setting('HTTP_API_RATE_LIMIT', 'httpApiRateLimit'),
        DEFAULT_RATE_LIMIT,
        1,
        100_000,
      ),
      burstLimit: bounded(
        text(block.httpApiBurstLimit),
        setting('HTTP_API_BURST_LIMIT', 'httpApiBurstLimit'),
        DEFAULT_BURST_LIMIT,
        1,
        100_000,
      ),
    },
    corsOrigins: originList(text(block.corsOrigins), setting('CORS_ORIGINS', 'corsOrigins')),
    operations: parseOperationsSettings(block),
  };
};
