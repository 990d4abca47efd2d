// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, readAccess } from '../../lib/http/access.js';
import {
  DEBUGGER_ANSWER_MAX_BYTES,
  type DebuggerRequestParams,
  debuggerRequestSchema,
  toIdWindow,
} from '../../lib/http/debugger-schemas.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import type { DebuggerReader, IdWindow } from '../../lib/ports.js';
import { getDebuggerReader } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { fitAnswer } from './fit-answer.js';

type DebuggerDataEvent = Omit<APIGatewayProxyEventV2, 'pathParameters'> & DebuggerRequestParams;

const eventSchema = compileSchema(debuggerRequestSchema);

/** Which table a list route reads: `events` (stored events) or `failed` (messages persist could never store). */
const listOf = (
  reader: DebuggerReader,
  { routeKey, rawPath }: DebuggerDataEvent,
): ((window: IdWindow) => Promise<unknown[]>) => {
  const list = /\/debugger\/(\w+)$/.exec(routeKey ?? rawPath ?? '')?.[1];
  if (list === 'events') return (window: IdWindow) => reader.listEvents(window);
  if (list === 'failed') return (window: IdWindow) => reader.listFailedEvents(window);
  throw new NotFoundError(`No debugger list /api/v1/debugger/${list ?? ''}`);
};

/**
 * `GET /api/v1/debugger/events` and `/failed`: the rows of the window the page asks for, newest first, previews of
 * their long texts, at most DEBUGGER_ANSWER_MAX_BYTES of them (`more` when some were left out).
 * `GET /api/v1/debugger/failed/{id}`: one failed event whole (a stored event whole is `GET /api/v1/events/{id}`).
 */
export const createDebuggerDataHandler = ({ reader, access }: { reader: DebuggerReader; access?: Access }) => {
  const answer = async (event: DebuggerDataEvent) => {
    const id = event.pathParameters?.id;
    if (id !== undefined) {
      const failed = await reader.findFailedEvent(Number(id));
      if (!failed) throw new NotFoundError(`No failed event with id ${id}`);
      return jsonResponse(200, failed);
    }
    const window = toIdWindow(event);
    const rows = await listOf(reader, event)({ ...window, limit: window.limit + 1 });
    return jsonResponse(200, fitAnswer(rows, window.limit, DEBUGGER_ANSWER_MAX_BYTES));
  };
  return httpFunction(answer, { access, input: [validator({ eventSchema })] });
};

export const handler = createDebuggerDataHandler({
  reader: getDebuggerReader(),
  access: readAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
