import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ABSENT_CONTENT_TYPE } from './gateway-headers.js';

type Headers = Record<string, string | undefined>;
interface EventV2Class {
  prototype: { create(this: unknown, ...args: unknown[]): { headers?: Headers } };
}

// Not exported by serverless-offline (package.json "exports"), so found beside its entry point; the URL is the one
// serverless offline imports it by, so this is the same class it builds its events with.
const EVENT_V2 = 'events/http/lambda-events/LambdaProxyIntegrationEventV2.js';
const patched = new WeakSet<object>();

/**
 * serverless offline gives a payload 2.0 event `content-type: application/json` whenever the request has a body but
 * no Content-Type; API Gateway passes no such header, and track and batch answer it 415. Requests without one carry
 * ABSENT_CONTENT_TYPE by now (toGatewayRawHeaders), which serverless offline keeps; this takes it out of each event.
 */
export const keepContentTypeAbsent = async (serviceDir: string): Promise<void> => {
  const entry = createRequire(join(serviceDir, 'package.json')).resolve('serverless-offline');
  const module = (await import(new URL(EVENT_V2, pathToFileURL(entry)).href)) as { default?: EventV2Class };
  const prototype = module.default?.prototype;
  if (typeof prototype?.create !== 'function')
    throw new Error(`serverless-offline has changed: ${EVENT_V2} has no create()`);
  if (patched.has(prototype)) return;
  patched.add(prototype);
  const create = prototype.create;
  prototype.create = function (this: unknown, ...args: unknown[]) {
    const event = create.apply(this, args);
    if (event.headers?.['content-type'] === ABSENT_CONTENT_TYPE) delete event.headers['content-type'];
    return event;
  };
};
