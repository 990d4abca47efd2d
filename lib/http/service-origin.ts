import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { headerOf } from './headers.js';

/**
 * Where the caller reached this service: the Host it asked for, and the scheme a gateway or proxy in front of it
 * says (API Gateway sets X-Forwarded-Proto); without either, plain HTTP as serverless offline serves it.
 */
export const serviceOriginOf = (event: APIGatewayProxyEventV2): { host: string; protocol: 'http' | 'https' } => {
  const host = headerOf(event, 'host') ?? event.requestContext?.domainName ?? 'localhost';
  const forwarded = headerOf(event, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return { host, protocol: forwarded === 'https' ? 'https' : 'http' };
};

/** The URL the API is served at for this request: its origin, and the stage when it is not the default one. */
export const serviceUrlOf = (event: APIGatewayProxyEventV2): string => {
  const { host, protocol } = serviceOriginOf(event);
  const stage = event.requestContext?.stage;
  return `${protocol}://${host}${stage && stage !== '$default' ? `/${encodeURIComponent(stage)}` : ''}`;
};
