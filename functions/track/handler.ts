// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type TrackRequest, trackRequestSchema } from '../../lib/activity/activity-schema.js';
import { mapNativeEvent } from '../../lib/activity/native-event.js';
import { getConfig } from '../../lib/config.js';
import { PublishError, ValidationError } from '../../lib/errors.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import type { IntakeOutcome, WriteDependencies } from '../../lib/intake/intake.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { getWriteDependencies } from '../../lib/runtime/write-dependencies.js';

type TrackEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: TrackRequest };

/** 202 with the event_id once the broker confirmed the event; 400 naming the fields it failed; 503 if unconfirmed. */
const answerOne = ({ results: [result] }: IntakeOutcome) => {
  if (result?.status === 'accepted') return jsonResponse(202, { status: 'accepted', event_id: result.event_id });
  if (result?.status === 'rejected')
    throw new ValidationError('Validation failed', result.errors, { eventsCounted: true });
  throw new PublishError(result?.errors[0]?.message ?? 'The message broker did not confirm the event', {
    eventsCounted: true,
  });
};

/** `POST /api/v1/events/track`: one event, 202 once the broker has confirmed it. */
export const createTrackHandler = ({ intake, maxBodyBytes, access }: WriteDependencies & { maxBodyBytes: number }) =>
  httpFunction(async (event: TrackEvent) => answerOne(await intake.accept([mapNativeEvent(event.body, new Date())])), {
    access,
    input: jsonRequest<TrackEvent>(maxBodyBytes, trackRequestSchema),
    countsRefusals: true,
  });

export const handler = createTrackHandler({ ...getWriteDependencies(), maxBodyBytes: getConfig().maxBodyBytes }).use(
  releaseAfterLocalInvoke(),
);
