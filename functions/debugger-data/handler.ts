import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import { type DebuggerListParams, debuggerListRequestSchema, toIdWindow } from '../../lib/http/debugger-schemas.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import type { DebuggerReader, IdWindow } from '../../lib/ports.js';
import { getDebuggerReader } from '../../lib/runtime/dependencies.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type DebuggerDataEvent = APIGatewayProxyEventV2 & DebuggerListParams;

const eventSchema = compileSchema(debuggerListRequestSchema);

/** Which table the route reads: `events` (stored events) or `failed` (messages persist could never store). */
const listOf = (reader: DebuggerReader, { routeKey, rawPath }: DebuggerDataEvent) => {
  const list = /\/debugger\/(\w+)$/.exec(routeKey ?? rawPath ?? '')?.[1];
  if (list === 'events') return (window: IdWindow) => reader.listEvents(window);
  if (list === 'failed') return (window: IdWindow) => reader.listFailedEvents(window);
  throw new NotFoundError(`No debugger list /api/v1/debugger/${list ?? ''}`);
};

/** `GET /api/v1/debugger/events` and `/failed`: the newest rows (after `after`, before `before`), newest first. */
export const createDebuggerDataHandler = ({ reader, access }: { reader: DebuggerReader; access?: Access }) => {
  const listRows = async (event: DebuggerDataEvent) =>
    jsonResponse(200, { data: await listOf(reader, event)(toIdWindow(event)) });
  return httpFunction(listRows, { access, input: [validator({ eventSchema })] });
};

export const handler = createDebuggerDataHandler({
  reader: getDebuggerReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
