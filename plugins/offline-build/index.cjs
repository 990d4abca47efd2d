'use strict';
// osls loads plugins with require(), which cannot read TypeScript; tsx compiles the plugin on the fly.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./plugin.ts', __filename).OfflineBuildPlugin;
