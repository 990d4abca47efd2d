import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { textResponse } from '../../lib/http/text-response.js';
import { observe } from '../../lib/observability/observe.js';
import { readPipelineStats, type StatsSources } from '../../lib/observability/pipeline-stats.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getStatsSources } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.js';

/** `GET /metrics`: the pipeline state in Prometheus text format, for a scraper holding a read key. */
export const createMetricsHandler = ({
  sources,
  access = { open: true },
}: {
  sources: StatsSources;
  access?: Access;
}) => {
  const getMetrics = async () =>
    textResponse(200, PROMETHEUS_CONTENT_TYPE, renderPrometheus(await readPipelineStats(sources)));
  return middy<APIGatewayProxyEventV2>(getMetrics).use(observe()).use(httpErrorHandler()).use(requireApiKey(access));
};

export const handler = createMetricsHandler({
  sources: getStatsSources(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
