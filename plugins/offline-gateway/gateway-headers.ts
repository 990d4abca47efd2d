import { randomUUID } from 'node:crypto';

/**
 * What the raw headers carry as the Content-Type of a request that sent none: serverless offline puts
 * `application/json` in the event of such a request (LambdaProxyIntegrationEventV2.js), so the plugin gives it this
 * value instead, and takes it out of the event again (event-content-type.ts). Random per process, so no client can
 * send it.
 */
export const ABSENT_CONTENT_TYPE = `application/x-offline-gateway-absent; id=${randomUUID()}`;

// API Gateway moves cookies out of the headers (the event's `cookies` field); serverless offline builds that field
// from hapi's parsed cookies. Joined as browsers and Node join them, so hapi still parses them.
const SEPARATORS: Record<string, string> = { cookie: '; ' };

/**
 * The raw headers (name, value, name, value, …) as API Gateway's HTTP API gives them to a payload 2.0 event:
 * "Duplicate headers are combined with commas and included in the headers field"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * serverless offline builds the event's `headers` from the raw headers, keeping the last of each name, so
 * `Authorization: Bearer wrong` then `Authorization: Bearer <key>` would pass a key check that API Gateway's joined
 * `Bearer wrong,Bearer <key>` fails. Names keep their first spelling and position. A request without a Content-Type,
 * or with an empty one (which serverless offline would also replace), gets `absentContentType` for it.
 */
export const toGatewayRawHeaders = (
  rawHeaders: readonly string[],
  absentContentType: string = ABSENT_CONTENT_TYPE,
): string[] => {
  const byName = new Map<string, { name: string; values: string[] }>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const key = name.toLowerCase();
    const entry = byName.get(key) ?? { name, values: [] };
    entry.values.push(rawHeaders[i + 1] as string);
    byName.set(key, entry);
  }
  const contentType = byName.get('content-type');
  if (contentType === undefined || contentType.values.join('').trim() === '')
    byName.set('content-type', { name: contentType?.name ?? 'content-type', values: [absentContentType] });
  return [...byName].flatMap(([key, { name, values }]) => [name, values.join(SEPARATORS[key] ?? ',')]);
};
