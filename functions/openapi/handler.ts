import middy from '@middy/core';
import { httpErrorHandler } from '../../lib/http/error-handler.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { observe } from '../../lib/observability/observe.js';
import { buildOpenApiDocument } from '../../lib/openapi/document.js';

const document = buildOpenApiDocument();

/** `GET /openapi.json`: the OpenAPI 3.1 document (the same one `npm run openapi` writes to openapi.yaml). */
export const handler = middy(async () => jsonResponse(200, document))
  .use(observe())
  .use(httpErrorHandler());
