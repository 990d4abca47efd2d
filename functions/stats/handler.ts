import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DependencyUnavailableError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { observe } from '../../lib/observability/observe.js';
import { readPipelineStats, type StatsSources } from '../../lib/observability/pipeline-stats.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getStatsSources } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { toStatsBody } from './to-stats-body.js';

/** `GET /api/v1/stats`: queue and DLQ depth, failed events, events stored (total and per minute), newest event's age. */
export const createStatsHandler = ({
  sources,
  access = { open: true },
}: {
  sources: StatsSources;
  access?: Access;
}) => {
  const getStats = async () => {
    const stats = await readPipelineStats(sources);
    if (stats.unavailable.length === 2)
      throw new DependencyUnavailableError('Neither RabbitMQ nor the database answered');
    return jsonResponse(200, toStatsBody(stats));
  };
  return middy<APIGatewayProxyEventV2>(getStats).use(observe()).use(httpErrorHandler()).use(requireApiKey(access));
};

export const handler = createStatsHandler({
  sources: getStatsSources(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
