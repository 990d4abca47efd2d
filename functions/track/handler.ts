import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toActivityMessage } from '../../lib/activity/accept-event.js';
import { type TrackRequest, trackRequestSchema } from '../../lib/activity/activity-schema.js';
import { type Access, writeAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { recordOutcome } from '../../lib/http/record-outcome.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { observe } from '../../lib/observability/observe.js';
import { noteAccepted, notePublishFailed } from '../../lib/observability/pipeline-log.js';
import type { EventPublisher } from '../../lib/ports.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getPublisher } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type TrackEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: TrackRequest };

interface TrackDependencies {
  publisher: EventPublisher;
  maxBodyBytes: number;
  access?: Access;
}

/** `POST /api/v1/events/track`: one event, 202 once the broker has confirmed it. */
export const createTrackHandler = ({ publisher, maxBodyBytes, access = { open: true } }: TrackDependencies) => {
  const trackActivity = async (event: TrackEvent) => {
    const message = toActivityMessage(event.body, new Date());
    try {
      await publisher.publish(message);
    } catch (error) {
      notePublishFailed([message.event_id], error);
      throw error;
    }
    noteAccepted([message.event_id]);
    return jsonResponse(202, { status: 'accepted', event_id: message.event_id });
  };
  return middy<TrackEvent>(trackActivity)
    .use(observe())
    .use(recordOutcome('single'))
    .use(httpErrorHandler())
    .use(requireApiKey(access))
    .use(jsonRequest(maxBodyBytes, trackRequestSchema));
};

export const handler = createTrackHandler({
  publisher: getPublisher(),
  maxBodyBytes: getConfig().maxBodyBytes,
  access: writeAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
