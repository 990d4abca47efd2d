import { shardQueueNames } from '../lib/rabbitmq/shards.js';
import { type Environment, functionEnvironment } from './environment.js';
import { functionLogicalId, roleLogicalId } from './naming.js';
import type { DeploySettings } from './settings.js';

type Extensions = Record<string, { Properties: Record<string, unknown> }>;

/** osls's logical id of a `rabbitmq` event's mapping (lib/plugins/aws/lib/naming.js, getRabbitMQEventLogicalId). */
const mappingLogicalId = (functionLogicalName: string, queue: string) =>
  `${functionLogicalName}EventSourceMappingRabbitMQ${upperFirst(queue.replace(/[^0-9A-Za-z]/g, '')).slice(0, 150)}`;

const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * serverless.yml's `resources.extensions`: properties osls generates no setting for, merged into the resources it
 * generates (a wrong logical id fails the packaging, so a change of osls's naming cannot go unnoticed).
 */
export interface StackShape {
  detailedMetrics: boolean;
  /** serverless.yml's functions, by name. */
  functions: Record<string, { role?: unknown }>;
  /** provider.environment as resolved. */
  environment: Environment;
}

export const stackExtensions = (settings: DeploySettings, stack: StackShape): Extensions => {
  const extensions: Extensions = {
    // osls's provider.httpApi has no throttling; the stage's default route settings apply to every route.
    HttpApiStage: {
      Properties: {
        DefaultRouteSettings: {
          DetailedMetricsEnabled: stack.detailedMetrics,
          ThrottlingRateLimit: settings.throttle.rateLimit,
          ThrottlingBurstLimit: settings.throttle.burstLimit,
        },
      },
    },
  };
  // osls writes MaximumBatchingWindowInSeconds only when it is truthy, and a left-out 0 would mean 500 ms.
  if (settings.batchingWindowSeconds === 0) {
    for (const queue of shardQueueNames(settings.queue, settings.shards)) {
      extensions[mappingLogicalId('Persist', queue)] = { Properties: { MaximumBatchingWindowInSeconds: 0 } };
    }
  }
  for (const [name, fn] of Object.entries(stack.functions)) {
    // A function without its own role would make osls create its shared role, which every function could use.
    if (fn.role !== roleLogicalId(name)) {
      throw new Error(
        `Function ${name} must have \`role: ${roleLogicalId(name)}\` in serverless.yml (deploy/roles.ts)`,
      );
    }
    // Only the secrets it uses (deploy/environment.ts); osls gives every function all of provider.environment.
    extensions[functionLogicalId(name)] = {
      Properties: { Environment: { Variables: functionEnvironment(name, stack.environment) } },
    };
  }
  return extensions;
};
