/**
 * Every operation's operationId, the name a client generator gives its method. The Segment endpoints carry theirs
 * (segment-paths.ts); a new route without one here fails the build of the document, so it cannot ship unnamed.
 */
const OPERATION_IDS: Record<string, string> = {
  'post /api/v1/events/track': 'trackEvent',
  'post /api/v1/events/batch': 'trackEvents',
  'get /api/v1/events/{event_id}': 'getEvent',
  'get /api/v1/users/{user_id}/activities': 'listUserActivities',
  'get /api/v1/activities': 'listIdentityActivities',
  'get /health': 'getHealth',
  'get /health/live': 'getLiveness',
  'get /api/v1/stats': 'getStats',
  'get /metrics': 'getMetrics',
  'get /debugger': 'getDebuggerPage',
  'get /api/v1/debugger/events': 'listDebuggerEvents',
  'get /api/v1/debugger/failed': 'listFailedEvents',
  'get /api/v1/debugger/failed/{id}': 'getFailedEvent',
  'get /openapi.json': 'getOpenApiDocument',
  // As Segment's Public API names them.
  'post /api/v1/regulations': 'createRegulation',
  'get /api/v1/regulations': 'listRegulations',
  'get /api/v1/regulations/{regulateId}': 'getRegulation',
};

type Operation = Record<string, unknown> & { operationId?: string };

export const withOperationIds = <T extends Record<string, Record<string, Operation>>>(paths: T): T =>
  Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const operationId = operation.operationId ?? OPERATION_IDS[`${method} ${path}`];
          if (!operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId (operation-ids.ts)`);
          return [method, { operationId, ...operation }];
        }),
      ),
    ]),
  ) as T;
