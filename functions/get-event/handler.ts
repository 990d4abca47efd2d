import middy from '@middy/core';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getEventRequestSchema } from '../../lib/activity/read-schemas.js';
import { compileSchema } from '../../lib/activity/validation.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { observe } from '../../lib/observability/observe.js';
import type { ActivityReader } from '../../lib/ports.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getActivityReader } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type GetEventEvent = APIGatewayProxyEventV2 & { pathParameters: { event_id: string } };

const eventSchema = compileSchema(getEventRequestSchema);

/** `GET /api/v1/events/{event_id}`: the stored event, or 404. */
export const createGetEventHandler = ({
  reader,
  access = { open: true },
}: {
  reader: ActivityReader;
  access?: Access;
}) => {
  const getEvent = async (event: GetEventEvent) => {
    const { event_id: eventId } = event.pathParameters;
    const activity = await reader.findEvent(eventId);
    if (!activity) throw new NotFoundError(`No event with event_id ${eventId.toLowerCase()} has been stored`);
    return jsonResponse(200, activity);
  };
  return middy<GetEventEvent>(getEvent)
    .use(observe())
    .use(httpErrorHandler())
    .use(requireApiKey(access))
    .use(validator({ eventSchema }));
};

export const handler = createGetEventHandler({
  reader: getActivityReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
