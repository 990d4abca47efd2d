import { MAX_USER_ID } from '../../lib/activity/activity-schema.js';
import { parseIsoDateTime } from '../../lib/activity/iso-date-time.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../lib/activity/read-schemas.js';
import { type FieldError, ValidationError } from '../../lib/errors.js';
import type { ActivityQuery } from '../../lib/ports.js';
import { decodeCursor } from './cursor.js';

export interface ListActivitiesParams {
  pathParameters: { user_id: string };
  queryStringParameters?: { event_type?: string; from?: string; to?: string; limit?: string; cursor?: string } | null;
}

/** Turns schema-valid strings into a query; range checks the schema cannot express give 400 too. */
export const toActivityQuery = ({ pathParameters, queryStringParameters }: ListActivitiesParams): ActivityQuery => {
  const query = queryStringParameters ?? {};
  const errors: FieldError[] = [];
  const userId = Number(pathParameters.user_id);
  if (userId > MAX_USER_ID) errors.push({ field: 'user_id', message: `must be <= ${MAX_USER_ID}` });
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (limit > MAX_LIMIT) errors.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` });
  const from = query.from === undefined ? undefined : parseIsoDateTime(query.from);
  const to = query.to === undefined ? undefined : parseIsoDateTime(query.to);
  if (from !== undefined && to !== undefined && from >= to) errors.push({ field: 'to', message: 'must be after from' });
  if (errors.length > 0) throw new ValidationError('Validation failed', errors);
  return {
    userId,
    limit,
    ...(query.event_type === undefined ? {} : { eventType: query.event_type }),
    ...(from === undefined ? {} : { from: new Date(from) }),
    ...(to === undefined ? {} : { to: new Date(to) }),
    ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
  };
};
