// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { getConfig } from '../../lib/config.js';
import { logger } from '../../lib/observability/logger.js';
import { observe } from '../../lib/observability/observe.js';
import type { ErasureStore } from '../../lib/ports.js';
import { eraseRegulated } from '../../lib/regulations/erase.js';
import { getErasureStore } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

/** Time left for the last chunk and the answer when the run stops at its deadline. */
const MARGIN_MS = 5000;

/**
 * The deletion runner of the regulations (issue 19), on a schedule (serverless.yml: every minute on AWS, the same
 * under serverless offline): never inside an HTTP request. Each run works until its invocation's time is nearly up;
 * what it leaves, the next run resumes.
 */
export const createEraseHandler = ({ store, pausePercent }: { store: ErasureStore; pausePercent: number }) => {
  const erase = async (_event: unknown, context: Context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS;
    const run = await eraseRegulated(store, { deadline, pausePercent });
    for (const id of run.finished) logger.info('regulation finished', { regulation_id: id });
    if (run.unfinished) logger.info('deletion continues in the next run');
    return run;
  };
  return middy(erase).use(observe());
};

export const handler = createEraseHandler({
  store: getErasureStore(),
  pausePercent: getConfig().erasePausePercent,
}).use(releaseAfterLocalInvoke());
