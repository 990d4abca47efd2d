import type { StatsSources } from '../observability/pipeline-stats.js';
import { getQueueInspector } from './broker.js';
import { getStatsReader } from './database.js';

/** Where the pipeline's state is read (stats and /metrics alike). */
export const getStatsSources = (): StatsSources => ({ inspector: getQueueInspector(), reader: getStatsReader() });
