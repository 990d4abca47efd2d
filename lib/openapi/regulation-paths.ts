import { SUBJECT_TYPES } from '../privacy/subject-hash.js';
import {
  createRegulationSchema,
  MAX_REGULATION_BODY_BYTES,
  MAX_SUBJECT_IDS,
  OVERALL_STATUSES,
  REGULATION_TYPES,
  readRegulationsRequestSchema,
} from '../regulations/regulation-schema.js';
import { error, json } from './parts.js';

/** The regulations API (functions/create-regulation, functions/read-regulations) in the OpenAPI document. */

const count = { type: 'integer', minimum: 0 } as const;
const time = { type: 'string', format: 'date-time' } as const;

const regulationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'regulationType', 'subjectType', 'overallStatus', 'createdAt', 'finishedAt', 'deleted'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    regulationType: { enum: REGULATION_TYPES },
    subjectType: { enum: SUBJECT_TYPES },
    overallStatus: { enum: OVERALL_STATUSES },
    createdAt: { ...time, description: 'T: events accepted before it are deleted, from it on suppressed' },
    finishedAt: { anyOf: [time, { type: 'null' }] },
    deleted: {
      type: 'object',
      additionalProperties: false,
      required: ['events', 'failedEvents', 'deadLetters'],
      description: 'What the deletion has removed so far',
      properties: { events: count, failedEvents: count, deadLetters: count },
    },
  },
} as const;

export const regulationSchemas = {
  CreateRegulation: createRegulationSchema,
  RegulationCreated: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        required: ['regulateId'],
        properties: { regulateId: { type: 'string', format: 'uuid' } },
      },
    },
  },
  Regulation: regulationSchema,
  RegulationAnswer: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        required: ['regulation'],
        properties: { regulation: { $ref: '#/components/schemas/Regulation' } },
      },
    },
  },
  RegulationList: {
    type: 'object',
    required: ['data'],
    properties: {
      data: {
        type: 'object',
        required: ['regulations', 'pagination'],
        properties: {
          regulations: { type: 'array', items: { $ref: '#/components/schemas/Regulation' } },
          pagination: {
            type: 'object',
            required: ['current', 'next'],
            properties: {
              current: { type: ['string', 'null'] },
              next: { type: ['string', 'null'], description: 'pagination.cursor of the next page; null on the last' },
            },
          },
        },
      },
    },
  },
};

const adminErrors = {
  '401': error('Missing or wrong admin key: ADMIN_API_KEYS only (read and write keys never grant it)'),
};

const listParameters = Object.entries(readRegulationsRequestSchema.properties.queryStringParameters.properties).map(
  ([name, schema]) => ({ name, in: 'query', required: false, schema }),
);

export const regulationPaths = {
  '/api/v1/regulations': {
    post: {
      summary: `Delete and/or suppress the events of 1 to ${MAX_SUBJECT_IDS} subjects (Segment's regulations)`,
      description:
        'SUPPRESS_WITH_DELETE, DELETE_ONLY: every event of the subjects accepted before the regulation is removed from the table, failed_events, the queues and the dead-letter queues, asynchronously. SUPPRESS_WITH_DELETE, SUPPRESS_ONLY: from then on their events are answered as usual and not stored. UNSUPPRESS ends a suppression. Subject ids are kept only as keyed hashes.',
      requestBody: { required: true, content: json('CreateRegulation') },
      responses: {
        '200': { description: 'Recorded; a suppression is in force', content: json('RegulationCreated') },
        '400': error('Malformed JSON or schema failure; details lists every failing field'),
        ...adminErrors,
        '413': error(`Body over ${MAX_REGULATION_BODY_BYTES / 1024 / 1024} MB`),
        '415': error('Content-Type is not application/json'),
      },
    },
    get: {
      summary: 'Every regulation, newest first, keyset-paged',
      parameters: listParameters,
      responses: {
        '200': { description: 'A page of regulations', content: json('RegulationList') },
        '400': error('A parameter is invalid'),
        ...adminErrors,
      },
    },
  },
  '/api/v1/regulations/{regulateId}': {
    get: {
      summary: 'One regulation: its status and what its deletion has removed so far',
      parameters: [
        {
          name: 'regulateId',
          in: 'path',
          required: true,
          schema: readRegulationsRequestSchema.properties.pathParameters.properties.regulateId,
        },
      ],
      responses: {
        '200': { description: 'The regulation', content: json('RegulationAnswer') },
        '400': error('regulateId is not a UUID'),
        ...adminErrors,
        '404': error('No regulation has that id'),
      },
    },
  },
};
