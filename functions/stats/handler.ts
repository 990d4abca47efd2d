// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import { getConfig } from '../../lib/config.js';
import { DependencyUnavailableError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { readPipelineStats, type StatsSources } from '../../lib/observability/pipeline-stats.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { getStatsSources } from '../../lib/runtime/stats-sources.js';
import { toStatsBody } from './to-stats-body.js';

/** `GET /api/v1/stats`: queue and DLQ depth, failed events, events stored (total and per minute), newest event's age. */
export const createStatsHandler = ({ sources, access }: { sources: StatsSources; access?: Access }) => {
  const getStats = async () => {
    const stats = await readPipelineStats(sources);
    if (stats.unavailable.length === 2)
      throw new DependencyUnavailableError('Neither RabbitMQ nor the database answered');
    return jsonResponse(200, toStatsBody(stats));
  };
  return httpFunction(getStats, { access });
};

export const handler = createStatsHandler({
  sources: getStatsSources(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
