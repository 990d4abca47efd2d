import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type BatchRequest, batchRequestSchema } from '../../lib/activity/activity-schema.js';
import { type FieldError, PublishError, ValidationError } from '../../lib/errors.js';
import { type Access, writeAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { recordOutcome } from '../../lib/http/record-outcome.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { observe } from '../../lib/observability/observe.js';
import type { EventPublisher } from '../../lib/ports.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getPublisher } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { acceptBatch, type BatchOutcome, noteOutcome } from './accept-batch.js';

type BatchEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: BatchRequest };

interface BatchDependencies {
  publisher: EventPublisher;
  maxBodyBytes: number;
  access?: Access;
}

const problemsOf = (outcome: BatchOutcome): FieldError[] =>
  outcome.results.flatMap((result) =>
    'errors' in result
      ? result.errors.map((e) => ({
          field: `events[${result.index}]${e.field === '(event)' ? '' : `.${e.field}`}`,
          message: e.message,
        }))
      : [],
  );

/** 202 all accepted; 207 some not; when none was accepted, 400 (all invalid) or 503 (the broker failed). */
const toResponse = (outcome: BatchOutcome) => {
  if (outcome.rejected === 0 && outcome.failed === 0) return jsonResponse(202, outcome);
  if (outcome.accepted > 0) return jsonResponse(207, outcome);
  const details = problemsOf(outcome);
  if (outcome.failed > 0) {
    throw new PublishError('No event was accepted: the message broker is unavailable', {
      details,
      body: { ...outcome },
    });
  }
  throw new ValidationError('No event was accepted', details, { body: { ...outcome } });
};

/** `POST /api/v1/events/batch`: up to 500 events, each validated and answered on its own. */
export const createBatchHandler = ({ publisher, maxBodyBytes, access = { open: true } }: BatchDependencies) => {
  const trackBatch = async (event: BatchEvent) => {
    const outcome = await acceptBatch(event.body, publisher);
    noteOutcome(outcome);
    return toResponse(outcome);
  };
  return middy<BatchEvent>(trackBatch)
    .use(observe())
    .use(recordOutcome('batch'))
    .use(httpErrorHandler())
    .use(requireApiKey(access))
    .use(jsonRequest(maxBodyBytes, batchRequestSchema));
};

export const handler = createBatchHandler({
  publisher: getPublisher(),
  maxBodyBytes: getConfig().maxBatchBodyBytes,
  access: writeAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
