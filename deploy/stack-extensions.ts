import { shardQueueNames } from '../lib/rabbitmq/shards.js';
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
export const stackExtensions = (settings: DeploySettings, httpApi: { detailedMetrics: boolean }): Extensions => {
  const extensions: Extensions = {
    // osls's provider.httpApi has no throttling; the stage's default route settings apply to every route.
    HttpApiStage: {
      Properties: {
        DefaultRouteSettings: {
          DetailedMetricsEnabled: httpApi.detailedMetrics,
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
  // In a VPC osls attaches AWSLambdaVPCAccessExecutionRole; network.ts grants its network part alone.
  if (settings.vpc) {
    extensions.IamRoleLambdaExecution = { Properties: { ManagedPolicyArns: [] } };
  }
  return extensions;
};
