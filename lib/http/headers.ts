import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * A request header by its lower-case name. API Gateway's payload 2.0 lower-cases header names; a hand-made event
 * (`serverless invoke local -p …`) may carry them capitalised as clients send them.
 */
export const headerOf = (event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined =>
  event.headers?.[name] ?? event.headers?.[name.replace(/(^|-)\w/g, (c) => c.toUpperCase())];

/** The token of `Authorization: Bearer <token>`, or undefined when the header is absent or not of that scheme. */
export const bearerToken = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
