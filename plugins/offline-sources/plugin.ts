import { reportHeapOn } from './heap-report.js';

interface HookEntry {
  pluginName: string;
  hook: () => unknown;
}

interface Serverless {
  pluginManager: { hooks: Record<string, HookEntry[] | undefined> };
}

/** serverless-esbuild's class name, as osls records it with each hook. */
const BUNDLER = 'EsbuildServerlessPlugin';

/** The lifecycle events at which serverless-esbuild bundles every function for serverless offline and starts watching. */
const BUNDLER_OFFLINE_EVENTS = ['before:offline:start', 'before:offline:start:init'];

/**
 * Under `serverless offline start`, the TypeScript sources run as they are, one module graph for every function,
 * instead of serverless-esbuild's one bundle (with its own copy of lib/, drivers and source map) per function, all
 * loaded into the one process (issue 18: fourteen bundles took 240 MiB of a 256 MiB heap). serverless offline
 * loads a `.ts` handler itself through tsx's ESM loader, so modules shared by handlers load once, and a stack trace
 * needs only the small source map of each file it passes through. serverless-esbuild's file watcher, which kept
 * heap for every file change and watched whatever was written into the checkout, goes with it: `npm run dev`
 * restarts the whole process instead (README, "Local development").
 *
 * Packaging and deploying are untouched: serverless-esbuild still bundles each function for Lambda. Must come after
 * serverless-esbuild in serverless.yml, whose hooks are registered by then.
 */
export class OfflineSourcesPlugin {
  readonly hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    const { hooks } = serverless.pluginManager;
    for (const event of BUNDLER_OFFLINE_EVENTS) {
      hooks[event] = hooks[event]?.filter(({ pluginName }) => pluginName !== BUNDLER);
    }
    this.hooks = { 'offline:start:init': () => reportHeapOn('SIGUSR2') };
  }
}
