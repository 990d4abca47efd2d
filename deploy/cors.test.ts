import { describe, expect, it } from 'vitest';
import { httpApiCors } from './cors.js';
import { parseDeploySettings } from './settings.js';

describe('the HTTP API CORS configuration', () => {
  it('is left out (null) when CORS_ORIGINS is unset', () => {
    expect(httpApiCors(parseDeploySettings({}))).toBeNull();
  });

  it('allows the origins given, the API methods and headers, without credentials', () => {
    expect(httpApiCors(parseDeploySettings({ corsOrigins: 'https://app.example.com' }))).toEqual({
      allowedOrigins: ['https://app.example.com'],
      allowedMethods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Content-Encoding', 'X-Retry-Count'],
      exposedResponseHeaders: ['Retry-After'],
      maxAge: 600,
    });
  });
});
