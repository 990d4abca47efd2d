// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import { getConfig } from '../../lib/config.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { textResponse } from '../../lib/http/text-response.js';
import { readPipelineStats, type StatsSources } from '../../lib/observability/pipeline-stats.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { getStatsSources } from '../../lib/runtime/stats-sources.js';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from './prometheus.js';

/** `GET /metrics`: the pipeline state in Prometheus text format, for a scraper holding a read key. */
export const createMetricsHandler = ({ sources, access }: { sources: StatsSources; access?: Access }) => {
  const getMetrics = async () =>
    textResponse(200, PROMETHEUS_CONTENT_TYPE, renderPrometheus(await readPipelineStats(sources)));
  return httpFunction(getMetrics, { access });
};

export const handler = createMetricsHandler({
  sources: getStatsSources(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
