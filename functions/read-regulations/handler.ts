// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, adminAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import type { RegulationStore } from '../../lib/ports.js';
import {
  DEFAULT_REGULATIONS_PAGE,
  type ReadRegulationsParams,
  readRegulationsRequestSchema,
} from '../../lib/regulations/regulation-schema.js';
import { getRegulationStore } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type ReadRegulationsEvent = Omit<APIGatewayProxyEventV2, 'pathParameters' | 'queryStringParameters'> &
  ReadRegulationsParams;

const eventSchema = compileSchema(readRegulationsRequestSchema);

/**
 * `GET /api/v1/regulations/{regulateId}`: one regulation with its status and the counts deleted so far.
 * `GET /api/v1/regulations`: all of them, newest first, keyset-paged (`pagination.count`, `pagination.cursor`).
 */
export const createReadRegulationsHandler = ({ store, access }: { store: RegulationStore; access: Access }) => {
  const answer = async (event: ReadRegulationsEvent) => {
    const id = event.pathParameters?.regulateId;
    if (id !== undefined) {
      const regulation = await store.findRegulation(id.toLowerCase());
      if (!regulation) throw new NotFoundError(`No regulation with id ${id}`);
      return jsonResponse(200, { data: { regulation } });
    }
    const query = event.queryStringParameters ?? {};
    const cursor = query['pagination.cursor'];
    const page = await store.listRegulations({
      limit: Number(query['pagination.count'] ?? DEFAULT_REGULATIONS_PAGE),
      ...(cursor === undefined ? {} : { before: Number(cursor) }),
    });
    const pagination = { current: cursor ?? null, next: page.next === undefined ? null : String(page.next) };
    return jsonResponse(200, { data: { regulations: page.data, pagination } });
  };
  return httpFunction(answer, { access, input: [validator({ eventSchema })] });
};

export const handler = createReadRegulationsHandler({
  store: getRegulationStore(),
  access: adminAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
