import { describe, expect, it } from 'vitest';
import type { Access } from '../../lib/http/access.js';
import { httpEvent, lambdaContext } from '../../test/factories.js';
import { createSegmentSettingsHandler } from './handler.js';

const KEY = 'site-write-key-0123456789';

const getSettings = async (writeKey: string, headers: Record<string, string>, access?: Access) => {
  const path = `/v1/projects/${writeKey}/settings`;
  const event = { ...httpEvent({ method: 'GET', path, headers }), pathParameters: { writeKey } };
  const response = await createSegmentSettingsHandler(access ? { access } : {})(event as never, lambdaContext());
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) };
};

describe("settings for Segment's browser SDK (function level, real middy stack)", () => {
  it('points the Segment.io destination back at the host the browser asked, over HTTP locally', async () => {
    const { status, headers, body } = await getSettings(KEY, { host: 'localhost:8000' });

    expect(status).toBe(200);
    expect(headers).toMatchObject({ 'Cache-Control': 'public, max-age=300' });
    expect(body).toEqual({
      integrations: { 'Segment.io': { apiKey: KEY, apiHost: 'localhost:8000/v1', protocol: 'http' } },
      metrics: { sampleRate: 0 },
      plan: {},
      enabledMiddleware: {},
      middlewareSettings: {},
    });
  });

  it('says https behind a gateway that says so (API Gateway sets X-Forwarded-Proto)', async () => {
    const { body } = await getSettings(KEY, { host: 'api.example.com', 'x-forwarded-proto': 'https' });
    expect(body.integrations['Segment.io']).toMatchObject({ apiHost: 'api.example.com/v1', protocol: 'https' });
  });

  it('answers 404 for a write key that is not one of API_KEYS, and 200 for one that is', async () => {
    const access: Access = { open: false, keys: [KEY] };

    const unknown = await getSettings('someone-elses-key-0000', { host: 'localhost:8000' }, access);
    const known = await getSettings(KEY, { host: 'localhost:8000' }, access);

    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, message: 'No source has this write key' });
    expect(known.status).toBe(200);
  });

  it('answers 400 for a write key with control characters', async () => {
    const { status, body } = await getSettings('key\u0000', { host: 'localhost:8000' });
    expect(status).toBe(400);
    expect(body.details).toEqual([
      {
        field: 'writeKey',
        message: 'must not contain control, bidirectional, zero-width or unpaired surrogate characters',
      },
    ]);
  });
});
