// First: reads the secrets given as ssm:/… before any module reads the configuration.
import '../../lib/runtime/secrets.js';
import validator from '@middy/validator';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { compileSchema } from '../../lib/activity/validation.js';
import { getConfig } from '../../lib/config.js';
import { NotFoundError } from '../../lib/errors.js';
import { type Access, writeAccess } from '../../lib/http/access.js';
import { httpFunction } from '../../lib/http/http-function.js';
import { jsonResponse } from '../../lib/http/json-response.js';
import { keyAllowed } from '../../lib/http/require-api-key.js';
import { segmentSettingsRequestSchema } from '../../lib/http/segment-settings-schema.js';
import { releaseAfterLocalInvoke } from '../../lib/runtime/release-after-local-invoke.js';
import { segmentSettings } from './settings.js';

type SettingsEvent = APIGatewayProxyEventV2 & { pathParameters: { writeKey: string } };

const eventSchema = compileSchema(segmentSettingsRequestSchema);

/**
 * `GET /v1/projects/{writeKey}/settings`: the settings Segment's CDN would serve, sending the browser SDK's events
 * here, so a site that loads analytics.js with Segment's snippet moves by changing its CDN address alone. A write key
 * is public (it sits in every page); with API_KEYS set, an unknown one gets 404, as a source that does not exist.
 * Cached by browsers and proxies for 5 minutes, as Segment's CDN does.
 */
export const createSegmentSettingsHandler = ({ access = { open: true } }: { access?: Access }) => {
  const isKnown = keyAllowed(access);
  const getSettings = async (event: SettingsEvent) => {
    const { writeKey } = event.pathParameters;
    if (!isKnown(writeKey)) throw new NotFoundError('No source has this write key');
    return jsonResponse(200, segmentSettings(writeKey, event), { 'Cache-Control': 'public, max-age=300' });
  };
  return httpFunction(getSettings, { input: [validator({ eventSchema })] });
};

export const handler = createSegmentSettingsHandler({ access: writeAccess(getConfig()) }).use(
  releaseAfterLocalInvoke(),
);
