import process from 'node:process';
import { ConfigError, PlanError } from '../lib/errors.js';
import { alarms } from './alarms.js';
import { httpApiCors } from './cors.js';
import { type Environment, functionEnvironment } from './environment.js';
import { vpcConfig } from './network.js';
import { persistEvents } from './persist-events.js';
import { assertDeployable, type Target } from './readiness.js';
import { functionRole } from './roles.js';
import { type DeployBlock, type DeploySettings, parseDeploySettings } from './settings.js';
import { stackExtensions } from './stack-extensions.js';
import { trackingPlanPatterns } from './tracking-plan.js';

/** What osls passes a function of a `${file(…):name}` JavaScript variable source. */
interface VariableResolver {
  resolveConfigurationProperty(path: string[]): Promise<unknown>;
}

const blockOf = async ({ resolveConfigurationProperty }: VariableResolver): Promise<DeployBlock> =>
  ((await resolveConfigurationProperty(['custom', 'deploy'])) ?? {}) as DeployBlock;

const targetOf = async ({ resolveConfigurationProperty }: VariableResolver): Promise<Target> => ({
  stage: String(await resolveConfigurationProperty(['provider', 'stage'])),
  // Whatever the stage, a deploy goes to AWS (osls has no other way to tell a variable the command).
  deploying: process.argv.slice(2).includes('deploy'),
});

/**
 * The settings for the variables below. A setting that is wrong is reported once, by `check`; here it gives
 * `fallback`, which is never used since osls stops on check's error (otherwise each variable would print it).
 */
const withSettings =
  <T>(fallback: T, make: (settings: DeploySettings, resolver: VariableResolver) => Promise<T> | T) =>
  async (resolver: VariableResolver): Promise<T> => {
    let settings: DeploySettings;
    try {
      settings = parseDeploySettings(await blockOf(resolver));
    } catch (error) {
      if (error instanceof ConfigError) return fallback;
      throw error;
    }
    return make(settings, resolver);
  };

const functionsOf = async ({ resolveConfigurationProperty }: VariableResolver) =>
  ((await resolveConfigurationProperty(['functions'])) ?? {}) as Record<string, { role?: unknown }>;

const environmentOf = async ({ resolveConfigurationProperty }: VariableResolver) =>
  ((await resolveConfigurationProperty(['provider', 'environment'])) ?? {}) as Environment;

/** The values serverless.yml reads from `${file(deploy/serverless.cjs):<name>}`. */
export const variables = {
  /** Refuses a stage that could not be deployed safely, and any malformed setting: one message for all. */
  check: async (resolver: VariableResolver): Promise<string> => {
    try {
      const block = await blockOf(resolver);
      assertDeployable(block, await targetOf(resolver));
      parseDeploySettings(block);
      return 'ok';
    } catch (error) {
      // osls prints an error's stack; for a setting that is wrong the message says all there is to say.
      if (error instanceof ConfigError) error.stack = error.message;
      throw error;
    }
  },
  /** The tracking plan and its precompiled validators, packaged with every function; a bad plan stops here. */
  trackingPlanPatterns: async ({ resolveConfigurationProperty }: VariableResolver): Promise<string[]> => {
    try {
      return trackingPlanPatterns(
        String((await resolveConfigurationProperty(['provider', 'environment', 'TRACKING_PLAN'])) ?? ''),
      );
    } catch (error) {
      if (error instanceof PlanError) error.stack = error.message;
      throw error;
    }
  },
  persistEvents: withSettings([], persistEvents),
  vpc: withSettings(null, vpcConfig),
  httpApiCors: withSettings(null, httpApiCors),
  logRetentionInDays: withSettings(30, (settings) => settings.operations.logRetentionDays),
  resources: withSettings({}, async (settings, resolver) => {
    const environment = await environmentOf(resolver);
    const stackName = `${String(await resolver.resolveConfigurationProperty(['service']))}-${(await targetOf(resolver)).stage}`;
    const roles = Object.keys(await functionsOf(resolver)).map((name) =>
      functionRole(name, settings, functionEnvironment(name, environment)),
    );
    return Object.assign({}, ...roles, alarms(settings, stackName));
  }),
  stackExtensions: withSettings({}, async (settings, resolver) =>
    stackExtensions(settings, {
      detailedMetrics: (await resolver.resolveConfigurationProperty(['provider', 'httpApi', 'metrics'])) === true,
      functions: await functionsOf(resolver),
      environment: await environmentOf(resolver),
    }),
  ),
};
