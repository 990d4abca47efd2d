import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { serviceOriginOf } from '../../lib/http/service-origin.js';

/**
 * What analytics.js 2.0 (`@segment/analytics-next`) reads from `{cdnURL}/v1/projects/{writeKey}/settings` before it
 * sends anything: only the `Segment.io` destination, pointed back at this service. No other destination, middleware,
 * routing rule or plan, so the library loads none of its lazy chunks from Segment's CDN; metrics are off, because
 * with the host given only here the library would post them to api.segment.io (analytics-next 1.84,
 * src/browser/index.ts and src/core/stats/remote-metrics.ts).
 */
export interface SegmentSettings {
  integrations: { 'Segment.io': { apiKey: string; apiHost: string; protocol: 'http' | 'https' } };
  metrics: { sampleRate: 0 };
  plan: Record<string, never>;
  enabledMiddleware: Record<string, never>;
  middlewareSettings: Record<string, never>;
}

export const segmentSettings = (writeKey: string, event: APIGatewayProxyEventV2): SegmentSettings => {
  const { host, protocol } = serviceOriginOf(event);
  return {
    integrations: { 'Segment.io': { apiKey: writeKey, apiHost: `${host}/v1`, protocol } },
    metrics: { sampleRate: 0 },
    plan: {},
    enabledMiddleware: {},
    middlewareSettings: {},
  };
};
