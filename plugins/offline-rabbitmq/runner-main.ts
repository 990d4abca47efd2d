/**
 * A persist runner: a child process of the local runtime that polls its queues and runs their function
 * (serverless.yml's `persist`) itself, one batch at a time per queue, with the `aws:rmq` event and the context Lambda
 * would give it (runner.ts starts it). Nothing of the drain runs on the HTTP server's thread. It writes to the same
 * output as the runtime: the poller's and the function's JSON log lines, the metrics, and serverless offline's
 * invocation line.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { getConfig } from '../../lib/config.js';
import type { RmqEvent } from '../../lib/rabbitmq/rmq-event.js';
import { type PollerLog, RabbitMqPoller } from './poller.js';
import type { RunnerNotice, RunnerSpec } from './runner-protocol.js';

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

const { fn, mappings } = JSON.parse(process.argv[2] ?? '{}') as RunnerSpec;

const notify = (notice: RunnerNotice) => process.send?.(notice);

const loadHandler = async (): Promise<Handler> => {
  const dot = fn.handler.lastIndexOf('.');
  const [file, name] = [fn.handler.slice(0, dot), fn.handler.slice(dot + 1)];
  // The local build's JavaScript (plugins/offline-build), or the TypeScript source through tsx.
  const path = [`${file}.js`, `${file}.ts`].map((name) => join(fn.servicePath, name)).find((name) => existsSync(name));
  if (!path) throw new Error(`${fn.handler}: no ${file}.js or ${file}.ts in ${fn.servicePath}`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const handler = module[name];
  if (typeof handler !== 'function') throw new Error(`${fn.handler}: no function "${name}" in ${path}`);
  return handler as Handler;
};

/** The context serverless offline gives a function (its LambdaContext), with the time left counted from the start. */
const contextFor = (requestId: string, startedAt: number) => ({
  awsRequestId: requestId,
  callbackWaitsForEmptyEventLoop: true,
  functionName: fn.functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `offline_invokedFunctionArn_for_${fn.functionName}`,
  logGroupName: `offline_logGroupName_for_${fn.functionName}`,
  logStreamName: `offline_logStreamName_for_${fn.functionName}`,
  memoryLimitInMB: String(fn.memorySize),
  getRemainingTimeInMillis: () => Math.max(0, Math.floor(startedAt + fn.timeoutMs - performance.now())),
});

let running = 0;

/** One invocation, as serverless offline makes it; a failure is thrown to the poller, which retries the batch. */
const invoker =
  (handler: Handler) =>
  async (event: RmqEvent): Promise<unknown> => {
    const requestId = randomUUID();
    const startedAt = performance.now();
    notify({ kind: 'batch', running: ++running });
    try {
      return await handler(event, contextFor(requestId, startedAt));
    } finally {
      notify({ kind: 'batch', running: --running });
      const ms = performance.now() - startedAt;
      // serverless offline's own line for an invocation (tools/offline.ts and the bench count them).
      process.stdout.write(
        `(λ: ${fn.functionKey}) RequestId: ${requestId}  Duration: ${ms.toFixed(2)} ms  Billed Duration: ${Math.ceil(ms)} ms\n`,
      );
    }
  };

const pollerLog = (): PollerLog => {
  const logger = new Logger({ serviceName: 'offline-rabbitmq', logLevel: getConfig().logLevel });
  return {
    info: (message, attributes = {}) => logger.info(message, attributes),
    warn: (message, attributes = {}) => logger.warn(message, attributes),
  };
};

const main = async () => {
  // The runtime decides when a runner stops (a Ctrl-C reaches the whole process group): it disconnects, and the
  // runner then lets each batch in flight finish and leaves whatever is unacknowledged on its queue. If the runtime
  // is killed, the same happens.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
  let pollers: RabbitMqPoller[] = [];
  // Listened for first: a runtime that goes while this runner is still loading must not leave it behind.
  process.once('disconnect', () => {
    Promise.all(pollers.map((poller) => poller.stop())).finally(() => process.exit(0));
  });
  const invoke = invoker(await loadHandler());
  if (!process.connected) return;
  const config = getConfig();
  const log = pollerLog();
  pollers = mappings.map((mapping) => new RabbitMqPoller({ mapping, config, log, invoke }));
  for (const poller of pollers) await poller.start();
  notify({ kind: 'ready' });
};

main().catch((error: unknown) => {
  console.error(`persist runner could not start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
