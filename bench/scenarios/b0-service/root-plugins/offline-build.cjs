'use strict';
// osls loads local plugins only from inside the service folder: the root's plugin, as is.
module.exports = require('../../../../plugins/offline-build/index.cjs');
