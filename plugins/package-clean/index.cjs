// Empties serverless-esbuild's work folder before it bundles for `serverless package` or `deploy`. The folder is
// kept after packaging (keepOutputDirectory: the source maps stay there, out of the zips), and serverless-esbuild
// copies into it without emptying it first, so a file an earlier package added (a tracking plan since unset, its
// compiled validators) would ship again in every zip. Listed before serverless-esbuild, so its hooks run first.
const { rmSync } = require('node:fs');
const { join } = require('node:path');

class PackageCleanPlugin {
  constructor(serverless) {
    const clean = () => rmSync(join(serverless.config.servicePath, '.esbuild'), { recursive: true, force: true });
    this.hooks = {
      'before:package:createDeploymentArtifacts': clean,
      'before:deploy:function:packageFunction': clean,
    };
  }
}

module.exports = PackageCleanPlugin;
