import { SSM_REFERENCE } from '../lib/config.js';
import { ConfigError } from '../lib/errors.js';
import { type DeployBlock, PLACEHOLDER_BROKER_ARN, PLACEHOLDER_SECRET_ARN } from './settings.js';

/** The stage `serverless offline` and a plain `serverless package` use: placeholders and local defaults allowed. */
export const LOCAL_STAGE = 'dev';

/** Where the template is going: the local stage (offline, or a package to look at), or an AWS account. */
export interface Target {
  stage: string;
  /** `serverless deploy`: whatever the stage, it goes to AWS. */
  deploying: boolean;
}

export const isLocal = (target: Target): boolean => target.stage === LOCAL_STAGE && !target.deploying;

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value).trim());

// The service's secrets on AWS: the name of an SSM SecureString parameter (lib/runtime/secrets.ts reads it at
// start), never the value, which would sit in plain text in the function's configuration.
const SECRETS = [
  ['DATABASE_URL', 'databaseUrl'],
  ['PERSIST_DATABASE_URL', 'persistDatabaseUrl'],
  ['RABBITMQ_URL', 'rabbitmqUrl'],
  ['API_KEYS', 'apiKeys'],
  ['READ_API_KEYS', 'readApiKeys'],
  ['ADMIN_API_KEYS', 'adminApiKeys'],
  ['PRIVACY_HASH_KEY', 'privacyHashKey'],
] as const;

const name = (variable: string, param: string) => `${variable} (or --param ${param}=…)`;

const secretProblems = (block: DeployBlock, publicWrite: boolean): string[] =>
  SECRETS.flatMap(([variable, param]) => {
    const value = text(block[param]);
    if (value === '') {
      if (variable === 'READ_API_KEYS' || variable === 'PERSIST_DATABASE_URL') return [];
      if (variable === 'API_KEYS' && publicWrite) return [];
      const why =
        variable === 'API_KEYS'
          ? 'not set: anyone could write events (say --param publicWrite=true if that is what you want)'
          : variable === 'PRIVACY_HASH_KEY'
            ? "not set: subjects' ids would be hashed with the development key, which anyone can read"
            : variable === 'ADMIN_API_KEYS'
              ? "not set: the regulations API (which deletes and suppresses people's events) needs keys of its own"
              : 'not set: the functions would fall back to 127.0.0.1';
      return [`${name(variable, param)}: ${why}`];
    }
    if (!SSM_REFERENCE.test(value)) {
      return [`${name(variable, param)}: must name an SSM SecureString parameter as ssm:/path, not hold the secret`];
    }
    return [];
  });

/** Every setting a deployment lacks or holds in a form it cannot use, so that one run names them all. */
export const deploymentProblems = (block: DeployBlock): string[] => {
  const publicWrite = text(block.publicWrite) === 'true';
  const missing = (
    [
      ['MQ_BROKER_ARN', 'mqBrokerArn', PLACEHOLDER_BROKER_ARN],
      ['MQ_SECRET_ARN', 'mqSecretArn', PLACEHOLDER_SECRET_ARN],
    ] as const
  )
    .filter(([, param, placeholder]) => text(block[param]) === '' || text(block[param]) === placeholder)
    .map(([variable, param]) => `${name(variable, param)}: not set (the placeholder cannot be deployed)`);
  return [...missing, ...secretProblems(block, publicWrite)];
};

/** Throws one error naming every problem, before osls builds or uploads anything. */
export const assertDeployable = (block: DeployBlock, target: Target): void => {
  if (isLocal(target)) return;
  const problems = deploymentProblems(block);
  if (problems.length === 0) return;
  throw new ConfigError(
    `stage ${target.stage}`,
    `cannot be ${target.deploying ? 'deployed' : 'packaged'}; set these first (docs/deploy.md):\n  - ${problems.join('\n  - ')}`,
  );
};
