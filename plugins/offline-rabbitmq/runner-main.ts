/**
 * A persist runner: a child process of the local runtime that runs one function (serverless.yml's `persist`) for the
 * RabbitMQ pollers, one invocation at a time, with the event and the context Lambda would give it (runner.ts starts
 * it with tsx, from the sources). It writes to the same output as the runtime: the function's JSON log lines and
 * metrics, and serverless offline's invocation line.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import type { InvokeReply, InvokeRequest, RunnerSpec } from './runner-protocol.js';

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>;

const spec = JSON.parse(process.argv[2] ?? '{}') as RunnerSpec;

const loadHandler = async (): Promise<Handler> => {
  const dot = spec.handler.lastIndexOf('.');
  const [file, name] = [spec.handler.slice(0, dot), spec.handler.slice(dot + 1)];
  // The local build's JavaScript (plugins/offline-build), or the TypeScript source through tsx.
  const path = [`${file}.js`, `${file}.ts`]
    .map((name) => join(spec.servicePath, name))
    .find((name) => existsSync(name));
  if (!path) throw new Error(`${spec.handler}: no ${file}.js or ${file}.ts in ${spec.servicePath}`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  const handler = module[name];
  if (typeof handler !== 'function') throw new Error(`${spec.handler}: no function "${name}" in ${path}`);
  return handler as Handler;
};

/** The context serverless offline gives a function (its LambdaContext), with the time left counted from the start. */
const contextFor = (requestId: string, startedAt: number) => ({
  awsRequestId: requestId,
  callbackWaitsForEmptyEventLoop: true,
  functionName: spec.functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `offline_invokedFunctionArn_for_${spec.functionName}`,
  logGroupName: `offline_logGroupName_for_${spec.functionName}`,
  logStreamName: `offline_logStreamName_for_${spec.functionName}`,
  memoryLimitInMB: String(spec.memorySize),
  getRemainingTimeInMillis: () => Math.max(0, Math.floor(startedAt + spec.timeoutMs - performance.now())),
});

const reply = (message: InvokeReply) => process.send?.(message);

const run = async (handler: Handler, { id, event }: InvokeRequest): Promise<void> => {
  const requestId = randomUUID();
  const startedAt = performance.now();
  try {
    const result = await handler(event, contextFor(requestId, startedAt));
    reply({ id, ok: true, result: result ?? null });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    reply({ id, ok: false, error: { name, message } });
  } finally {
    const ms = performance.now() - startedAt;
    // serverless offline's own line for an invocation (tools/offline.ts and the bench count them).
    process.stdout.write(
      `(λ: ${spec.functionKey}) RequestId: ${requestId}  Duration: ${ms.toFixed(2)} ms  Billed Duration: ${Math.ceil(ms)} ms\n`,
    );
  }
};

const main = async () => {
  // The runtime decides when a runner stops: a Ctrl-C reaches the whole process group, and a batch in flight should
  // end with its answer, not with the runner. It goes when the runtime disconnects, or exits.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => undefined);
  process.once('disconnect', () => process.exit(0));
  const handler = await loadHandler();
  process.on('message', (request: InvokeRequest) => void run(handler, request));
  process.send?.({ ready: true });
};

main().catch((error: unknown) => {
  console.error(`persist runner could not start: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
