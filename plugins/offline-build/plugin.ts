import { relative } from 'node:path';
import { reportHeapOn } from './heap-report.js';
import { buildLocally, LOCAL_BUILD_DIR } from './local-build.js';

interface HookEntry {
  pluginName: string;
  hook: () => unknown;
}

interface Serverless {
  pluginManager: { hooks: Record<string, HookEntry[] | undefined> };
  config: { servicePath: string };
  service: {
    custom?: Record<string, unknown> & { 'serverless-offline'?: Record<string, unknown> };
    getAllFunctions(): string[];
    getFunction(key: string): { handler?: string };
  };
}

/** serverless-esbuild's class name, as osls records it with each hook. */
const BUNDLER = 'EsbuildServerlessPlugin';

/** The lifecycle events at which serverless-esbuild bundles every function for serverless offline and starts watching. */
const BUNDLER_OFFLINE_EVENTS = ['before:offline:start', 'before:offline:start:init'];

/** `functions/track/handler.handler` -> `functions/track/handler`. */
const moduleOf = (handler: string): string => handler.slice(0, handler.lastIndexOf('.'));

/**
 * Under `serverless offline start`, one build of the service's code for every function (local-build.ts) instead of
 * serverless-esbuild's one bundle per function (each with its own copy of lib/, the drivers and a 3.8 MB source
 * map), all of which ended up in the one process (issue 18: 240 MiB of a 256 MiB heap once each route had been
 * called). serverless-esbuild's file watcher, which kept heap for every change and watched whatever was written into
 * the checkout, goes with it: `npm run dev` restarts the whole process instead. Packaging and deploying are untouched:
 * serverless-esbuild still bundles each function for Lambda.
 *
 * Plain JavaScript on disk also keeps serverless offline's per-request work small: it looks the handler's file up on
 * every invocation, and a `.ts` handler would be its fourth guess, imported again through tsx's loader each time.
 *
 * Must come after serverless-esbuild in serverless.yml (whose hooks are registered by then) and before the plugins
 * that run functions (offline-rabbitmq and serverless-offline), which read the build folder from serverless offline's
 * `location`.
 */
export class OfflineBuildPlugin {
  readonly hooks: Record<string, () => Promise<void>>;

  constructor(private readonly serverless: Serverless) {
    const { hooks } = serverless.pluginManager;
    for (const event of BUNDLER_OFFLINE_EVENTS) {
      hooks[event] = hooks[event]?.filter(({ pluginName }) => pluginName !== BUNDLER);
    }
    this.hooks = { 'offline:start:init': () => this.#start() };
  }

  async #start(): Promise<void> {
    const { service, config } = this.serverless;
    const handlers = service.getAllFunctions().flatMap((key) => {
      const { handler } = service.getFunction(key);
      return handler ? [moduleOf(handler)] : [];
    });
    const outdir = await buildLocally(config.servicePath, handlers);
    service.custom ??= {};
    service.custom['serverless-offline'] = {
      ...service.custom['serverless-offline'],
      location: relative(config.servicePath, outdir) || LOCAL_BUILD_DIR,
    };
    reportHeapOn('SIGUSR2');
  }
}
