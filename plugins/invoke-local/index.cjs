// `serverless invoke local` loads a Node handler with require(), and falls back to import() only on ERR_REQUIRE_ESM.
// Our bundles are ES modules that wait at the top level (lib/runtime/secrets.ts reads ssm:/ settings before any
// module reads the configuration), which Node's require() refuses with ERR_REQUIRE_ASYNC_MODULE, a code osls does not
// know. So the handler is imported here first, as Lambda's runtime imports it, and put where osls's require() finds
// it. Listed after serverless-esbuild, whose hook has bundled the function and pointed the service at the bundle.
const Module = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

class InvokeLocalPlugin {
  constructor(serverless, options) {
    this.hooks = {
      'before:invoke:local:invoke': async () => {
        const { handler } = serverless.service.getFunction(options.function);
        if (!handler) return;
        const file = `${join(serverless.config.servicePath, handler.slice(0, handler.lastIndexOf('.')))}.js`;
        const namespace = await import(pathToFileURL(file).href);
        const loaded = new Module(file);
        loaded.filename = file;
        loaded.loaded = true;
        loaded.exports = namespace;
        Module._cache[file] = loaded;
      },
    };
  }
}

module.exports = InvokeLocalPlugin;
