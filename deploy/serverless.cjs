'use strict';
// serverless.yml reads the deployment's generated parts through ${file(deploy/serverless.cjs):<name>}. osls loads
// the file with require(), which cannot read TypeScript; tsx compiles the modules on the fly, as it does for
// plugins/offline-rabbitmq/index.cjs.
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./variables.ts', __filename).variables;
