// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { listActivitiesRequestSchema, listIdentityActivitiesRequestSchema } from '../../lib/http/read-schemas.js';
import type { ActivityReader } from '../../lib/ports.js';
import { getActivityReader } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { encodeCursor } from './cursor.js';
import { type ListActivitiesParams, toActivityQuery } from './query.js';

type ListActivitiesEvent = APIGatewayProxyEventV2 & ListActivitiesParams;

const byUserId = compileSchema(listActivitiesRequestSchema);
const byIdentity = compileSchema(listIdentityActivitiesRequestSchema);

/** The validator of the route the request came by (a user_id in the path, or an identity in the query string). */
const eventSchema = Object.assign(
  (event: ListActivitiesEvent): boolean => {
    const validate = event.pathParameters?.user_id === undefined ? byIdentity : byUserId;
    const valid = validate(event) as boolean;
    eventSchema.errors = validate.errors;
    return valid;
  },
  { errors: null as typeof byUserId.errors },
);

/**
 * `GET /api/v1/users/{user_id}/activities` and `GET /api/v1/activities?user_key=…|anonymous_id=…`: newest first,
 * keyset-paginated with `cursor`.
 */
export const createListActivitiesHandler = ({ reader, access }: { reader: ActivityReader; access?: Access }) => {
  const listActivities = async (event: ListActivitiesEvent) => {
    const page = await reader.listUserActivities(toActivityQuery(event));
    return jsonResponse(200, { data: page.data, next_cursor: page.next ? encodeCursor(page.next) : null });
  };
  return httpFunction(listActivities, { access, input: [validator({ eventSchema: eventSchema as never })] });
};

export const handler = createListActivitiesHandler({
  reader: getActivityReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
