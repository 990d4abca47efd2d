import { plainText } from '../activity/activity-schema.js';

/** `GET /v1/projects/{writeKey}/settings`: a write key as a page carries it. */
export const segmentSettingsRequestSchema = {
  type: 'object',
  required: ['pathParameters'],
  properties: {
    pathParameters: {
      type: 'object',
      required: ['writeKey'],
      properties: { writeKey: { type: 'string', minLength: 1, maxLength: 255, ...plainText } },
    },
  },
} as const;
