import {
  EVENT_TYPE_MAX_LENGTH,
  IDENTITY_MAX_LENGTH,
  plainText,
  USER_ID_TEXT_PATTERN,
  uuidSchema,
} from '../activity/activity-schema.js';
import { DATE_TIME_FORMAT } from '../activity/iso-date-time.js';

/** JSON Schemas of the read API's requests (API Gateway passes path and query parameters as strings). */

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

// The rules of what is stored, so a query cannot name what can never be there.
const identityParameter = { type: 'string', minLength: 1, maxLength: IDENTITY_MAX_LENGTH, ...plainText } as const;

/** `GET /api/v1/events/{event_id}` */
export const getEventRequestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['event_id'],
      properties: { event_id: uuidSchema },
    },
  },
} as const;

// The filters and paging shared by both listings.
const pageParameters = {
  event_type: { type: 'string', minLength: 1, maxLength: EVENT_TYPE_MAX_LENGTH, ...plainText },
  from: { type: 'string', format: DATE_TIME_FORMAT, description: 'Inclusive lower bound on timestamp' },
  to: { type: 'string', format: DATE_TIME_FORMAT, description: 'Exclusive upper bound on timestamp' },
  limit: {
    type: 'string',
    pattern: '^[1-9][0-9]{0,3}$',
    errorMessage: { pattern: `must be an integer from 1 to ${MAX_LIMIT}` },
  },
  cursor: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' },
} as const;

/** `GET /api/v1/users/{user_id}/activities` */
export const listActivitiesRequestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['user_id'],
      properties: {
        user_id: {
          type: 'string',
          pattern: USER_ID_TEXT_PATTERN,
          errorMessage: { pattern: 'must be a positive integer' },
        },
      },
    },
    queryStringParameters: {
      // Absent on AWS when there is no query string; serverless-offline passes null.
      type: ['object', 'null'],
      additionalProperties: false,
      properties: pageParameters,
    },
  },
} as const;

/**
 * `GET /api/v1/activities?user_key=…` or `?anonymous_id=…`: the events of a Segment identity. Exactly one of the two
 * (toActivityQuery checks it: a strict schema cannot require one of two optional properties).
 */
export const listIdentityActivitiesRequestSchema = {
  type: 'object',
  required: ['queryStringParameters'],
  properties: {
    queryStringParameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        user_key: { ...identityParameter, description: "A Segment call's userId, as sent" },
        anonymous_id: { ...identityParameter, description: "A Segment call's anonymousId" },
        ...pageParameters,
      },
    },
  },
  errorMessage: { required: { queryStringParameters: 'must give exactly one of user_key and anonymous_id' } },
} as const;
