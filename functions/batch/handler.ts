// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type BatchRequest, batchRequestSchema } from '../../lib/activity/activity-schema.js';
import { mapBatchEvent } from '../../lib/activity/native-event.js';
import { getConfig } from '../../lib/config.js';
import { PublishError, ValidationError } from '../../lib/errors.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { type IntakeOutcome, problemsOf, type WriteDependencies } from '../../lib/intake/intake.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { getWriteDependencies } from '../../lib/runtime/write-dependencies.js';

type BatchEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: BatchRequest };

/** 202 all accepted; 207 some not; when none was accepted, 400 (all invalid) or 503 (the broker failed). */
const answerBatch = ({ suppressed: _kept, ...outcome }: IntakeOutcome) => {
  // The answer never tells a suppressed subject's events from the others (issue 19): they are accepted, like them.
  if (outcome.rejected === 0 && outcome.failed === 0) return jsonResponse(202, outcome);
  if (outcome.accepted > 0) return jsonResponse(207, outcome);
  const options = { details: problemsOf(outcome, 'events'), body: { ...outcome }, eventsCounted: true };
  if (outcome.failed > 0) throw new PublishError('No event was accepted: the message broker is unavailable', options);
  throw new ValidationError('No event was accepted', options.details, options);
};

/** `POST /api/v1/events/batch`: up to 500 events, each validated and answered on its own. */
export const createBatchHandler = ({ intake, maxBodyBytes, access }: WriteDependencies & { maxBodyBytes: number }) => {
  const trackBatch = async ({ body }: BatchEvent) => {
    const now = new Date();
    return answerBatch(await intake.accept(body.events.map((raw) => mapBatchEvent(raw, body.sent_at, now))));
  };
  return httpFunction(trackBatch, {
    access,
    input: jsonRequest<BatchEvent>(maxBodyBytes, batchRequestSchema),
    countsRefusals: true,
  });
};

export const handler = createBatchHandler({
  ...getWriteDependencies(),
  maxBodyBytes: getConfig().maxBatchBodyBytes,
}).use(releaseAfterLocalInvoke());
