import { PERSIST_BATCH_SIZE, PERSIST_BATCH_WINDOW_SECONDS } from '../../lib/rabbitmq/event-source-limits.js';
/** A `rabbitmq` event of a function in serverless.yml: what Lambda's event source mapping would be. */
export interface RabbitMqMapping {
  functionKey: string;
  functionDefinition: Record<string, unknown>;
  arn: string;
  queue: string;
  virtualHost: string;
  batchSize: number;
  batchingWindowMs: number;
  enabled: boolean;
}

interface RabbitMqEventConfig {
  arn?: string;
  queue?: string;
  virtualHost?: string;
  batchSize?: number | string;
  maximumBatchingWindow?: number | string;
  enabled?: boolean;
}

interface ServiceLike {
  getAllFunctions(): string[];
  getFunction(key: string): Record<string, unknown> & { events?: Array<Record<string, unknown>> };
}

type Bounds = { fallback: number; min: number; max: number };

const bounded = (value: unknown, { fallback, min, max }: Bounds, what: string): number => {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`rabbitmq event: ${what} must be ${min}..${max}, got ${String(value)}`);
  return n;
};

export const findRabbitMqMappings = (service: ServiceLike): RabbitMqMapping[] =>
  service.getAllFunctions().flatMap((functionKey) => {
    const functionDefinition = service.getFunction(functionKey);
    return (functionDefinition.events ?? [])
      .map((event) => event.rabbitmq as RabbitMqEventConfig | undefined)
      .filter((event): event is RabbitMqEventConfig => event !== undefined)
      .map((event) => ({
        functionKey,
        functionDefinition,
        arn: event.arn ?? 'arn:aws:mq:local:000000000000:broker:offline',
        queue: event.queue ?? '',
        virtualHost: event.virtualHost ?? '/',
        batchSize: bounded(event.batchSize, PERSIST_BATCH_SIZE, 'batchSize'),
        batchingWindowMs:
          bounded(event.maximumBatchingWindow, PERSIST_BATCH_WINDOW_SECONDS, 'maximumBatchingWindow') * 1000,
        enabled: event.enabled !== false,
      }));
  });
