import { MAX_USER_ID } from '../../lib/activity/activity-schema.js';
import { parseIsoDateTime } from '../../lib/activity/iso-date-time.js';
import { type FieldError, ValidationError } from '../../lib/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../lib/http/read-schemas.js';
import type { ActivityOwner, ActivityQuery } from '../../lib/ports.js';
import { decodeCursor } from './cursor.js';

interface PageParams {
  event_type?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
}

/** Either route's parameters, schema-valid: a user_id in the path, or one identity in the query string. */
export interface ListActivitiesParams {
  pathParameters?: { user_id?: string } | null;
  queryStringParameters?: (PageParams & { user_key?: string; anonymous_id?: string }) | null;
}

const ownerOf = (
  { pathParameters, queryStringParameters }: ListActivitiesParams,
  errors: FieldError[],
): ActivityOwner => {
  const query = queryStringParameters ?? {};
  if (pathParameters?.user_id === undefined) {
    if ((query.user_key === undefined) === (query.anonymous_id === undefined)) {
      errors.push({ field: 'user_key', message: 'or anonymous_id is required, not both' });
      return { userKey: '' };
    }
    return query.user_key === undefined ? { anonymousId: query.anonymous_id ?? '' } : { userKey: query.user_key };
  }
  const userId = Number(pathParameters.user_id);
  if (userId > MAX_USER_ID) errors.push({ field: 'user_id', message: `must be <= ${MAX_USER_ID}` });
  return { userId };
};

/** Turns schema-valid strings into a query; range checks the schema cannot express give 400 too. */
export const toActivityQuery = (params: ListActivitiesParams): ActivityQuery => {
  const query = params.queryStringParameters ?? {};
  const errors: FieldError[] = [];
  const owner = ownerOf(params, errors);
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (limit > MAX_LIMIT) errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
  const from = query.from === undefined ? undefined : parseIsoDateTime(query.from);
  const to = query.to === undefined ? undefined : parseIsoDateTime(query.to);
  if (from !== undefined && to !== undefined && from >= to) errors.push({ field: 'to', message: 'must be after from' });
  if (errors.length > 0) throw new ValidationError('Validation failed', errors);
  return {
    owner,
    limit,
    ...(query.event_type === undefined ? {} : { eventType: query.event_type }),
    ...(from === undefined ? {} : { from: new Date(from) }),
    ...(to === undefined ? {} : { to: new Date(to) }),
    ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
  };
};
