// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import { getConfig } from '../../lib/config.js';
import { DependencyUnavailableError, RETRY_AFTER } from '../../lib/errors.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import type { HealthProbe } from '../../lib/ports.js';
import { getBrokerLink } from '../../lib/runtime/broker.js';
import { getDatabase } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { withTimeout } from '../../lib/runtime/with-timeout.js';
import { createHealthProbes } from './probes.js';

const PROBE_TIMEOUT_MS = 2000;

const runProbe = async (probe: HealthProbe): Promise<[string, 'UP' | 'DOWN']> => {
  try {
    await withTimeout(probe.check(), PROBE_TIMEOUT_MS, () => new DependencyUnavailableError(`${probe.name} timed out`));
    return [probe.name, 'UP'];
  } catch {
    return [probe.name, 'DOWN'];
  }
};

/** `GET /health`: 200 when every dependency answers, 503 naming the ones that do not. */
export const createHealthHandler = ({ probes }: { probes: HealthProbe[] }) => {
  const checkHealth = async () => {
    const checks = Object.fromEntries(await Promise.all(probes.map(runProbe)));
    const up = Object.values(checks).every((state) => state === 'UP');
    return jsonResponse(up ? 200 : 503, { status: up ? 'UP' : 'DOWN', checks }, up ? {} : RETRY_AFTER);
  };
  return httpFunction(checkHealth);
};

export const handler = createHealthHandler({
  probes: createHealthProbes(getBrokerLink(), getDatabase(), getConfig()),
}).use(releaseAfterLocalInvoke());
