import type { FromSchema } from 'json-schema-to-ts';
import { IDENTITY_MAX_LENGTH, plainText, uuidSchema } from '../activity/activity-schema.js';
import { SUBJECT_TYPES } from '../privacy/subject-hash.js';

/**
 * The regulations API in the vocabulary of Segment's Public API (issue 19), so a privacy platform or a script written
 * for it needs only a new base URL and key.
 */

export const REGULATION_TYPES = ['SUPPRESS_WITH_DELETE', 'SUPPRESS_ONLY', 'DELETE_ONLY', 'UNSUPPRESS'] as const;
export type RegulationType = (typeof REGULATION_TYPES)[number];

export const OVERALL_STATUSES = ['INITIALIZED', 'RUNNING', 'FINISHED', 'FAILED'] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];

export const MAX_SUBJECT_IDS = 5000;
export const DEFAULT_REGULATIONS_PAGE = 20;
export const MAX_REGULATIONS_PAGE = 100;
/** 5,000 ids of the longest kind, as JSON, with room to spare: the body limit of POST /api/v1/regulations. */
export const MAX_REGULATION_BODY_BYTES = 2 * 1024 * 1024;

/** Which regulations delete what was accepted before them, and which suppress (or end a suppression). */
export const deletes = (type: RegulationType): boolean => type === 'SUPPRESS_WITH_DELETE' || type === 'DELETE_ONLY';
export const suppresses = (type: RegulationType): boolean =>
  type === 'SUPPRESS_WITH_DELETE' || type === 'SUPPRESS_ONLY';

/** `POST /api/v1/regulations`. An id is what the events carry (a userId, an anonymousId): 1 to 255 characters. */
export const createRegulationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['regulationType', 'subjectType', 'subjectIds'],
  properties: {
    regulationType: {
      enum: REGULATION_TYPES,
      errorMessage: { enum: `must be one of ${REGULATION_TYPES.join(', ')}` },
    },
    subjectType: {
      enum: SUBJECT_TYPES,
      errorMessage: { enum: `must be one of ${SUBJECT_TYPES.join(', ')}` },
    },
    subjectIds: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_SUBJECT_IDS,
      errorMessage: {
        minItems: 'must name at least 1 subject',
        maxItems: `must name at most ${MAX_SUBJECT_IDS} subjects`,
      },
      items: {
        type: 'string',
        minLength: 1,
        maxLength: IDENTITY_MAX_LENGTH,
        ...plainText,
        description: 'A userId (a native user_id in decimal) or an anonymousId, matched exactly',
        errorMessage: {
          minLength: 'must not be empty',
          maxLength: `must be at most ${IDENTITY_MAX_LENGTH} characters, as the ids of stored events are`,
          pattern: plainText.errorMessage.pattern,
        },
      },
    },
  },
} as const;

export type CreateRegulationRequest = FromSchema<typeof createRegulationSchema>;

/** A regulation as the API answers it. */
export interface Regulation {
  id: string;
  regulationType: RegulationType;
  subjectType: CreateRegulationRequest['subjectType'];
  overallStatus: OverallStatus;
  createdAt: string;
  finishedAt: string | null;
  deleted: { events: number; failedEvents: number; deadLetters: number };
}

/** `GET /api/v1/regulations/{regulateId}` and `GET /api/v1/regulations?pagination.count=…&pagination.cursor=…` */
export const readRegulationsRequestSchema = {
  type: 'object',
  properties: {
    pathParameters: {
      type: ['object', 'null'],
      properties: { regulateId: { ...uuidSchema, description: 'The regulateId POST answered with' } },
    },
    queryStringParameters: {
      // Absent on AWS when there is no query string; serverless-offline passes null.
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        'pagination.count': {
          type: 'string',
          pattern: '^([1-9][0-9]?|100)$',
          description: `Regulations per page, 1 to ${MAX_REGULATIONS_PAGE} (default ${DEFAULT_REGULATIONS_PAGE})`,
          errorMessage: { pattern: `must be an integer from 1 to ${MAX_REGULATIONS_PAGE}` },
        },
        'pagination.cursor': {
          type: 'string',
          pattern: '^[1-9][0-9]{0,15}$',
          description: "The previous page's pagination.next",
          errorMessage: { pattern: 'is not a cursor this API returned' },
        },
      },
    },
  },
} as const;

export type ReadRegulationsParams = FromSchema<typeof readRegulationsRequestSchema>;
