import { batchRequestSchema, MAX_BATCH_EVENTS, trackRequestSchema } from '../activity/activity-schema.js';
import { debuggerRequestSchema } from '../http/debugger-schemas.js';
import {
  getEventRequestSchema,
  listActivitiesRequestSchema,
  listIdentityActivitiesRequestSchema,
} from '../http/read-schemas.js';
import { planViolationSchema } from '../plan/violation.js';
import {
  debuggerEventPreviewSchema,
  debuggerEventsSchema,
  failedEventPreviewSchema,
  failedEventSchema,
  failedEventsSchema,
} from './debugger-schemas.js';
import { withOperationIds } from './operation-ids.js';
import { error, json, retryAfter } from './parts.js';
import { regulationPaths, regulationSchemas } from './regulation-paths.js';
import {
  acceptedSchema,
  activityPageSchema,
  batchResultSchema,
  errorSchema,
  healthSchema,
  storedActivitySchema,
} from './response-schemas.js';
import { liftScopedSchemas } from './scoped-schemas.js';
import { segmentPaths, segmentSchemas, segmentSecuritySchemes } from './segment-paths.js';
import { statsSchema } from './stats-schema.js';

/** ajv-errors' `errorMessage` only shapes our error texts; it means nothing to OpenAPI tools. */
const withoutAjvKeywords = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutAjvKeywords);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'errorMessage')
      .map(([key, v]) => [key, withoutAjvKeywords(v)]),
  );
};

const writeErrors = {
  '400': error('Malformed JSON or schema failure; details lists every failing field'),
  '401': error('Missing or wrong API key (when API_KEYS is configured)'),
  '413': error('Body over the size limit'),
  '415': error('Content-Type is not application/json'),
};
const unavailable = {
  description: 'The broker did not confirm the event(s); nothing was accepted',
  headers: retryAfter,
};

const queryParameters = Object.entries(listActivitiesRequestSchema.properties.queryStringParameters.properties).map(
  ([name, schema]) => ({ name, in: 'query', required: false, schema }),
);
// Exactly one of user_key and anonymous_id: the handler checks it (400), the schema cannot say it.
const identityParameters = Object.entries(
  listIdentityActivitiesRequestSchema.properties.queryStringParameters.properties,
).map(([name, schema]) => ({ name, in: 'query', required: false, schema }));
const debuggerParameters = Object.entries(debuggerRequestSchema.properties.queryStringParameters.properties).map(
  ([name, schema]) => ({ name, in: 'query', required: false, schema }),
);
const debuggerList = (summary: string, schemaRef: string) => ({
  get: {
    summary,
    parameters: debuggerParameters,
    responses: {
      '200': { description: 'Newest first, previews only, bounded in bytes', content: json(schemaRef) },
      '400': error('A parameter is invalid'),
      '401': error('Missing or wrong read API key'),
    },
  },
});

/** Where serverless offline serves the API by default; the served document names the server each request reached. */
export const LOCAL_SERVER_URL = 'http://localhost:8000';

/**
 * The OpenAPI 3.1 document, built from the very schemas the validators compile, so the two cannot drift. `serverUrl`
 * is where the API is reached (functions/openapi names the one each request came to).
 */
export const buildOpenApiDocument = (serverUrl = LOCAL_SERVER_URL) =>
  withoutAjvKeywords({
    openapi: '3.1.0',
    info: {
      title: 'User activity tracking',
      version: '1.0.0',
      description:
        "Ingests user-activity events (answered 202 once RabbitMQ has confirmed them; stored in MySQL exactly once per event_id) and reads them back. The /v1 endpoints take the same events in the format of Segment's HTTP Tracking API, as its SDKs send them.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A key from API_KEYS (writes), READ_API_KEYS (reads) or ADMIN_API_KEYS (regulations)',
        },
        ...segmentSecuritySchemes,
      },
      schemas: liftScopedSchemas({
        TrackEvent: trackRequestSchema,
        BatchRequest: {
          ...batchRequestSchema,
          properties: {
            ...batchRequestSchema.properties,
            events: { ...batchRequestSchema.properties.events, items: { $ref: '#/components/schemas/TrackEvent' } },
          },
        },
        Accepted: acceptedSchema,
        BatchResult: batchResultSchema,
        StoredActivity: storedActivitySchema,
        PlanViolation: planViolationSchema,
        ActivityPage: activityPageSchema,
        Health: healthSchema,
        DebuggerEventPreview: debuggerEventPreviewSchema,
        DebuggerEvents: debuggerEventsSchema,
        FailedEventPreview: failedEventPreviewSchema,
        FailedEvents: failedEventsSchema,
        FailedEvent: failedEventSchema,
        Stats: statsSchema,
        ...segmentSchemas,
        ...regulationSchemas,
        Error: errorSchema,
      }),
    },
    security: [{ apiKey: [] }, {}],
    paths: withOperationIds({
      '/api/v1/events/track': {
        post: {
          summary: 'Track one event',
          requestBody: { required: true, content: json('TrackEvent') },
          responses: {
            '202': { description: 'Accepted: the broker has confirmed the event', content: json('Accepted') },
            ...writeErrors,
            '503': { ...unavailable, content: json('Error') },
          },
        },
      },
      '/api/v1/events/batch': {
        post: {
          summary: `Track up to ${MAX_BATCH_EVENTS} events; each is validated and answered on its own`,
          requestBody: { required: true, content: json('BatchRequest') },
          responses: {
            '202': { description: 'Every event accepted', content: json('BatchResult') },
            '207': { description: 'Some events accepted, some rejected or failed', content: json('BatchResult') },
            '400': { description: 'No event accepted: all invalid (or the envelope is)', content: json('Error') },
            '401': writeErrors['401'],
            '413': writeErrors['413'],
            '415': writeErrors['415'],
            '503': { ...unavailable, content: json('Error') },
          },
        },
      },
      ...segmentPaths,
      ...regulationPaths,
      '/api/v1/events/{event_id}': {
        get: {
          summary: 'One stored event',
          parameters: [
            {
              name: 'event_id',
              in: 'path',
              required: true,
              schema: getEventRequestSchema.properties.pathParameters.properties.event_id,
            },
          ],
          responses: {
            '200': { description: 'The stored event', content: json('StoredActivity') },
            '400': error('event_id is not a UUID'),
            '401': error('Missing or wrong read API key'),
            '404': error('No such event has been stored (yet)'),
          },
        },
      },
      '/api/v1/users/{user_id}/activities': {
        get: {
          summary: "One user's activities, newest first, keyset-paginated",
          parameters: [
            {
              name: 'user_id',
              in: 'path',
              required: true,
              schema: listActivitiesRequestSchema.properties.pathParameters.properties.user_id,
            },
            ...queryParameters,
          ],
          responses: {
            '200': { description: 'A page of activities', content: json('ActivityPage') },
            '400': error('A parameter is invalid'),
            '401': error('Missing or wrong read API key'),
          },
        },
      },
      '/api/v1/activities': {
        get: {
          summary:
            "The activities of a Segment identity (a call's userId as user_key, or its anonymousId), newest first, keyset-paginated",
          description:
            'Give exactly one of user_key and anonymous_id; the other parameters are those of the per-user listing.',
          parameters: identityParameters,
          responses: {
            '200': { description: 'A page of activities', content: json('ActivityPage') },
            '400': error('A parameter is invalid, or not exactly one of user_key and anonymous_id is given'),
            '401': error('Missing or wrong read API key'),
          },
        },
      },
      '/health': {
        get: {
          summary: 'Dependencies check',
          security: [{}],
          responses: {
            '200': { description: 'All dependencies up', content: json('Health') },
            '503': { description: 'A dependency is down', content: json('Health'), headers: retryAfter },
          },
        },
      },
      '/health/live': {
        get: {
          summary: 'Liveness: the process answers (no dependency is checked)',
          security: [{}],
          responses: {
            '200': {
              description: 'Alive',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['status'], properties: { status: { const: 'UP' } } },
                },
              },
            },
          },
        },
      },
      '/api/v1/stats': {
        get: {
          summary: 'Pipeline state: queue and DLQ depth, failed events, events stored, newest event age',
          responses: {
            '200': { description: 'What the broker and the database answered', content: json('Stats') },
            '401': error('Missing or wrong read API key'),
            '503': {
              description: 'Neither the broker nor the database answered',
              headers: retryAfter,
              content: json('Error'),
            },
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'The pipeline state in Prometheus text exposition format 0.0.4',
          responses: {
            '200': { description: 'Prometheus metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
            '401': error('Missing or wrong read API key'),
          },
        },
      },
      '/debugger': {
        get: {
          summary: 'The live event debugger: an HTML page whose script reads the two endpoints below and /api/v1/stats',
          security: [{}],
          responses: { '200': { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } } },
        },
      },
      '/api/v1/debugger/events': debuggerList(
        'Stored events with a preview of their metadata, newest first, keyset-read on the row id: `after` (the cursor) and `missing` for what is new, `before` for older pages',
        'DebuggerEvents',
      ),
      '/api/v1/debugger/failed': debuggerList(
        'Failed events (messages persist could never store) with previews of their reason and raw body, newest first',
        'FailedEvents',
      ),
      '/api/v1/debugger/failed/{id}': {
        get: {
          summary: 'One failed event whole: its reason and raw body',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: debuggerRequestSchema.properties.pathParameters.properties.id,
            },
          ],
          responses: {
            '200': { description: 'The failed event', content: json('FailedEvent') },
            '400': error('id is not a row id'),
            '401': error('Missing or wrong read API key'),
            '404': error('No failed event has that id'),
          },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          security: [{}],
          responses: { '200': { description: 'OpenAPI 3.1 document' } },
        },
      },
    }),
  });
