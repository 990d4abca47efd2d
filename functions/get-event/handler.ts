// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { getEventRequestSchema } from '../../lib/http/read-schemas.js';
import type { ActivityReader } from '../../lib/ports.js';
import { getActivityReader } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type GetEventEvent = APIGatewayProxyEventV2 & { pathParameters: { event_id: string } };

const eventSchema = compileSchema(getEventRequestSchema);

/** `GET /api/v1/events/{event_id}`: the stored event, or 404. */
export const createGetEventHandler = ({ reader, access }: { reader: ActivityReader; access?: Access }) => {
  const getEvent = async (event: GetEventEvent) => {
    const { event_id: eventId } = event.pathParameters;
    const activity = await reader.findEvent(eventId);
    if (!activity) throw new NotFoundError(`No event with event_id ${eventId.toLowerCase()} has been stored`);
    return jsonResponse(200, activity);
  };
  return httpFunction(getEvent, { access, input: [validator({ eventSchema })] });
};

export const handler = createGetEventHandler({
  reader: getActivityReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
