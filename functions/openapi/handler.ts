import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { serviceUrlOf } from '../../lib/http/service-origin.js';
import { buildOpenApiDocument } from '../../lib/openapi/document.js';

const document = buildOpenApiDocument() as Record<string, unknown>;

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document (the one `npm run openapi` writes to openapi.yaml), naming as its
 * server the URL this request reached, so that a client generated from it calls this deployment.
 */
export const handler = httpFunction(async (event: APIGatewayProxyEventV2) =>
  jsonResponse(200, { ...document, servers: [{ url: serviceUrlOf(event) }] }),
);
