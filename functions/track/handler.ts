import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { trackRequestSchema, type TrackRequest } from '../../lib/activity-schema.js';
import { getConfig } from '../../lib/config.js';
import { getPublisher } from '../../lib/dependencies.js';
import { bodyLimit } from '../../lib/http/body-limit.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { requireJson } from '../../lib/http/require-json.js';
import type { EventPublisher } from '../../lib/ports.js';
import { releaseAfterLocalInvoke } from '../../lib/release-after-local-invoke.js';
import { compileBodySchema } from '../../lib/validation.js';
import { acceptEvent } from './accept-event.js';

type TrackEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: TrackRequest };

const eventSchema = compileBodySchema(trackRequestSchema);

// requireJson checks the media type case-insensitively; middy 6.2 honours this option but its typings omit it.
const parseJsonOnly = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];

export const createTrackHandler = ({ publisher, maxBodyBytes }: { publisher: EventPublisher; maxBodyBytes: number }) => {
  const trackActivity = async (event: TrackEvent) => {
    const eventId = await acceptEvent(event.body, publisher);
    return jsonResponse(202, { status: 'accepted', event_id: eventId });
  };
  return middy<TrackEvent>(trackActivity)
    .use(httpErrorHandler())
    .use(bodyLimit(maxBodyBytes))
    .use(requireJson())
    .use(httpJsonBodyParser(parseJsonOnly))
    .use(validator({ eventSchema }));
};

export const handler = createTrackHandler({
  publisher: getPublisher(),
  maxBodyBytes: getConfig().maxBodyBytes,
}).use(releaseAfterLocalInvoke());
