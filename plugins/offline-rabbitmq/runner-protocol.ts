import type { RabbitMqMapping } from './mappings.js';

/** The function a runner runs, as serverless offline would run it. */
export interface RunnerFunction {
  /** The function's key in serverless.yml (`persist`), as serverless offline names it in its invocation lines. */
  functionKey: string;
  /** The deployed function's name (`user-activity-tracking-dev-persist`), the context's functionName. */
  functionName: string;
  /** serverless.yml's `handler`: a module path from `servicePath` and the export (`functions/persist/handler.handler`). */
  handler: string;
  /** The folder the handler path starts from: the local build's (plugins/offline-build), or the service's. */
  servicePath: string;
  timeoutMs: number;
  memorySize: number;
}

/** What a runner process (runner-main.ts) is given: its function, and the queues whose batches it runs. */
export interface RunnerSpec {
  fn: RunnerFunction;
  mappings: Array<Pick<RabbitMqMapping, 'arn' | 'queue' | 'virtualHost' | 'batchSize' | 'batchingWindowMs'>>;
}

/** Runner to runtime: loaded and consuming; a batch begun or ended (so an exit can be told to have cut one short). */
export type RunnerNotice = { kind: 'ready' } | { kind: 'batch'; running: number };
