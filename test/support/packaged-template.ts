import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import type { Template } from './event-source-mapping.js';

const run = promisify(execFile);
export const SERVERLESS = 'node_modules/.bin/serverless';

// Every setting the template depends on, empty, so that neither the caller's environment nor a `.env` (osls loads
// it without overriding what is set) changes what a case packages.
export const UNSET = Object.fromEntries(
  [
    'RABBITMQ_QUEUE',
    'RABBITMQ_SHARDS',
    'RABBITMQ_VHOST',
    'PERSIST_BATCH_SIZE',
    'PERSIST_BATCH_WINDOW_SECONDS',
    'MQ_BROKER_ARN',
    'MQ_SECRET_ARN',
    'VPC_SUBNET_IDS',
    'VPC_SECURITY_GROUP_IDS',
    'HTTP_API_RATE_LIMIT',
    'HTTP_API_BURST_LIMIT',
    'CORS_ORIGINS',
    'DATABASE_URL',
    'PERSIST_DATABASE_URL',
    'RABBITMQ_URL',
    'API_KEYS',
    'READ_API_KEYS',
    'PUBLIC_WRITE',
    'LOG_RETENTION_DAYS',
    'ALARM_TOPIC_ARN',
    'ALARM_LAG_SECONDS',
    'ALARM_5XX_PERCENT',
  ].map((name) => [name, '']),
);

/** `serverless package` into a fresh folder (returned, for the caller to remove); throws with osls's output. */
export const packageInto = async (env: Record<string, string>, args: string[] = []): Promise<string> => {
  const out = await mkdtemp(join(tmpdir(), 'uat-deploy-'));
  await run(SERVERLESS, ['package', '--package', out, ...args], {
    env: { ...process.env, ...UNSET, ...env },
    timeout: 120_000,
  }).catch((error: { stdout: string; stderr: string }) => {
    throw Object.assign(new Error(`${error.stdout}${error.stderr}`), { out });
  });
  return out;
};

export const templateIn = async (out: string): Promise<Template> =>
  JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));

export const ofType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown;
}

/** Each function's IAM statements, from the role its `Role` property names (every policy of that role). */
export const policiesByFunction = (template: Template): Record<string, Statement[]> =>
  Object.fromEntries(
    ofType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const properties = template.Resources[role]?.Properties as {
        Policies: Array<{ PolicyDocument: { Statement: Statement[] } }>;
        ManagedPolicyArns?: unknown[];
      };
      if (properties.ManagedPolicyArns?.length) throw new Error(`${role} has managed policies`);
      return [id.replace(/LambdaFunction$/, ''), properties.Policies.flatMap((p) => p.PolicyDocument.Statement)];
    }),
  );
