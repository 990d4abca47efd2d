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

// Lambda's defaults and bounds for Amazon MQ sources: batch 100 (max 10,000), window 0.5 s (up to 300 s).
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_WINDOW_SECONDS = 0.5;

const bounded = (value: unknown, fallback: number, min: number, max: number, what: string): number => {
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
        batchSize: bounded(event.batchSize, DEFAULT_BATCH_SIZE, 1, 10_000, 'batchSize'),
        batchingWindowMs:
          bounded(event.maximumBatchingWindow, DEFAULT_WINDOW_SECONDS, 0, 300, 'maximumBatchingWindow') * 1000,
        enabled: event.enabled !== false,
      }));
  });
