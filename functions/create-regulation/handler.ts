// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { getConfig } from '../../lib/config.js';
import { type Access, adminAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonRequest } from '../../lib/http/json-request.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { keyNameOf } from '../../lib/http/key-name.js';
import { type RegulateDependencies, regulate } from '../../lib/regulations/regulate.js';
import {
  type CreateRegulationRequest,
  createRegulationSchema,
  MAX_REGULATION_BODY_BYTES,
} from '../../lib/regulations/regulation-schema.js';
import { getRegulationStore } from '../../lib/runtime/database.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';

type CreateRegulationEvent = Omit<APIGatewayProxyEventV2, 'body'> & { body: CreateRegulationRequest };

/**
 * `POST /api/v1/regulations` (Segment's Public API): records a regulation and answers its regulateId; a suppression
 * is in force once it has answered, a deletion runs afterwards in the deletion function, never in this request.
 */
export const createCreateRegulationHandler = ({ access, ...dependencies }: RegulateDependencies & { access: Access }) =>
  httpFunction(
    async (event: CreateRegulationEvent) => {
      const regulation = await regulate(dependencies, event.body, keyNameOf(access, 'ADMIN_API_KEYS', event));
      return jsonResponse(200, { data: { regulateId: regulation.id } });
    },
    { access, input: jsonRequest<CreateRegulationEvent>(MAX_REGULATION_BODY_BYTES, createRegulationSchema) },
  );

export const handler = createCreateRegulationHandler({
  store: getRegulationStore(),
  secret: getConfig().privacyHashKey,
  access: adminAccess(getConfig()),
}).use(releaseAfterLocalInvoke());
