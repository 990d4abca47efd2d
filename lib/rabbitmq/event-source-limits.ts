/**
 * persist's trigger, as Lambda bounds an Amazon MQ event source mapping: messages per batch (1 to 10,000; ours
 * defaults to 100) and the batching window in whole seconds (0 to 300; 0.5 s when the property is left out).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html. The deployment (deploy/settings.ts), the local poller
 * (plugins/offline-rabbitmq) and the tools read them from here.
 */
export const PERSIST_BATCH_SIZE = { fallback: 100, min: 1, max: 10_000 } as const;
export const PERSIST_BATCH_WINDOW_SECONDS = { fallback: 0.5, min: 0, max: 300 } as const;
