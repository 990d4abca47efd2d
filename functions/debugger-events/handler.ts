import middy from '@middy/core';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type DebuggerListParams, debuggerListRequestSchema, toIdWindow } from '../../lib/activity/debugger-schemas.js';
import { compileSchema } from '../../lib/activity/validation.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { requireApiKey } from '../../lib/http/require-api-key.js';
import { observe } from '../../lib/observability/observe.js';
import type { DebuggerReader } from '../../lib/ports.js';
import { getConfig } from '../../lib/runtime/config.js';
import { getDebuggerReader } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type DebuggerEventsEvent = APIGatewayProxyEventV2 & DebuggerListParams;

const eventSchema = compileSchema(debuggerListRequestSchema);

/** `GET /api/v1/debugger/events`: the newest stored events (after `after`, before `before`), newest first. */
export const createDebuggerEventsHandler = ({
  reader,
  access = { open: true },
}: {
  reader: DebuggerReader;
  access?: Access;
}) => {
  const listEvents = async (event: DebuggerEventsEvent) =>
    jsonResponse(200, { data: await reader.listEvents(toIdWindow(event)) });
  return middy<DebuggerEventsEvent>(listEvents)
    .use(observe())
    .use(httpErrorHandler())
    .use(requireApiKey(access))
    .use(validator({ eventSchema }));
};

export const handler = createDebuggerEventsHandler({
  reader: getDebuggerReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
