import { ConfigError, PlanError } from '../lib/errors.js';
import { httpApiCors } from './cors.js';
import { vpcConfig, vpcStatements } from './network.js';
import { persistEvents } from './persist-events.js';
import { type DeployBlock, type DeploySettings, parseDeploySettings } from './settings.js';
import { stackExtensions } from './stack-extensions.js';
import { trackingPlanPatterns } from './tracking-plan.js';

/** What osls passes a function of a `${file(…):name}` JavaScript variable source. */
interface VariableResolver {
  resolveConfigurationProperty(path: string[]): Promise<unknown>;
}

const settingsOf = async ({ resolveConfigurationProperty }: VariableResolver): Promise<DeploySettings> =>
  parseDeploySettings(((await resolveConfigurationProperty(['custom', 'deploy'])) ?? {}) as DeployBlock);

/** osls prints an error's stack; for a setting that is wrong the message says all there is to say. */
const plainErrors =
  <T>(resolve: (resolver: VariableResolver) => Promise<T>) =>
  async (resolver: VariableResolver): Promise<T> => {
    try {
      return await resolve(resolver);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof PlanError) error.stack = error.message;
      throw error;
    }
  };

/** The values serverless.yml reads from `${file(deploy/serverless.cjs):<name>}`. */
export const variables = {
  persistEvents: plainErrors(async (resolver) => persistEvents(await settingsOf(resolver))),
  vpc: plainErrors(async (resolver) => vpcConfig(await settingsOf(resolver))),
  httpApiCors: plainErrors(async (resolver) => httpApiCors(await settingsOf(resolver))),
  vpcStatements: plainErrors(async (resolver) => vpcStatements(await settingsOf(resolver))),
  trackingPlanPatterns: plainErrors(async (resolver) =>
    trackingPlanPatterns(
      String((await resolver.resolveConfigurationProperty(['provider', 'environment', 'TRACKING_PLAN'])) ?? ''),
    ),
  ),
  stackExtensions: plainErrors(async (resolver) =>
    stackExtensions(await settingsOf(resolver), {
      detailedMetrics: (await resolver.resolveConfigurationProperty(['provider', 'httpApi', 'metrics'])) === true,
    }),
  ),
};
