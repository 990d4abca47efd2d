import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { STATUS_CODES } from 'node:http';
import { batchRequestSchema, type BatchRequest } from '../../lib/activity-schema.js';
import { writeAccess, type Access } from '../../lib/auth/access.js';
import { getConfig } from '../../lib/config.js';
import { getPublisher } from '../../lib/dependencies.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import type { EventPublisher } from '../../lib/ports.js';
import { releaseAfterLocalInvoke } from '../../lib/release-after-local-invoke.js';
import { acceptBatch, type BatchOutcome } from './accept-batch.js';

type BatchEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: BatchRequest };

interface BatchDependencies {
  publisher: EventPublisher;
  maxBodyBytes: number;
  access?: Access;
}

/** 202 all accepted; 207 some not; when none was accepted, 400 (all invalid) or 503 (the broker failed). */
const toResponse = (outcome: BatchOutcome) => {
  if (outcome.rejected === 0 && outcome.failed === 0) return jsonResponse(202, outcome);
  if (outcome.accepted > 0) return jsonResponse(207, outcome);
  const status = outcome.failed > 0 ? 503 : 400;
  const details = outcome.results.flatMap((result) =>
    'errors' in result
      ? result.errors.map((e) => ({ field: `events[${result.index}]${e.field === '(event)' ? '' : `.${e.field}`}`, message: e.message }))
      : [],
  );
  const message = status === 503 ? 'No event was accepted: the message broker is unavailable' : 'No event was accepted';
  return jsonResponse(
    status,
    { status, error: STATUS_CODES[status], message, details, ...outcome },
    status === 503 ? { 'Retry-After': '5' } : {},
  );
};

/** `POST /api/v1/events/batch`: up to 500 events, each validated and answered on its own. */
export const createBatchHandler = ({ publisher, maxBodyBytes, access = { open: true } }: BatchDependencies) => {
  const trackBatch = async (event: BatchEvent) => toResponse(await acceptBatch(event.body, publisher));
  return middy<BatchEvent>(trackBatch)
    .use(httpErrorHandler())
    .use(requireApiKey(access) as middy.MiddlewareObj)
    .use(jsonRequest(maxBodyBytes, batchRequestSchema));
};

export const handler = createBatchHandler({
  publisher: getPublisher(),
  maxBodyBytes: getConfig().maxBatchBodyBytes,
  access: writeAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
