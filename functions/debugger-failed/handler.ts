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

type DebuggerFailedEvent = APIGatewayProxyEventV2 & DebuggerListParams;

const eventSchema = compileSchema(debuggerListRequestSchema);

/** `GET /api/v1/debugger/failed`: messages persist could never store (poison messages), newest first. */
export const createDebuggerFailedHandler = ({
  reader,
  access = { open: true },
}: {
  reader: DebuggerReader;
  access?: Access;
}) => {
  const listFailed = async (event: DebuggerFailedEvent) =>
    jsonResponse(200, { data: await reader.listFailedEvents(toIdWindow(event)) });
  return middy<DebuggerFailedEvent>(listFailed)
    .use(observe())
    .use(httpErrorHandler())
    .use(requireApiKey(access))
    .use(validator({ eventSchema }));
};

export const handler = createDebuggerFailedHandler({
  reader: getDebuggerReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
