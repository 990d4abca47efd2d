import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { buildOpenApiDocument } from '../../lib/openapi/document.js';

const document = buildOpenApiDocument();

/** `GET /openapi.json`: the OpenAPI 3.1 document (the same one `npm run openapi` writes to openapi.yaml). */
export const handler = httpFunction(async () => jsonResponse(200, document));
