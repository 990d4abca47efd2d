import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineProcess } from '../../tools/offline.js';
import { runConfig, runEnv } from '../../tools/run-config.js';
import { Broker, Database } from '../../tools/services.js';
import { seedPayload } from '../factories.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.com';
const TRACK = '/api/v1/events/track';

/** The access-control-* headers of an answer, as a browser reads them. */
const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));

/** What a browser sends before a page's fetch() of a JSON POST with a bearer key. */
const preflight = (offline: OfflineProcess, origin: string) =>
  fetch(`${offline.baseUrl}${TRACK}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });

const track = (offline: OfflineProcess, origin: string) =>
  offline.post(TRACK, seedPayload, { 'content-type': 'application/json', origin });

// The real serverless offline, once without CORS_ORIGINS (set empty, so a developer's .env cannot set it) and once
// with one origin: the plugins/offline-cors rules must give what API Gateway gives for the same configuration.
describe('CORS under serverless offline, as API Gateway applies it', () => {
  const config = runConfig('e2e_cors');
  let database: Database;
  let broker: Broker;
  let withoutCors: OfflineProcess;
  let withCors: OfflineProcess;

  beforeAll(async () => {
    database = await Database.create(config);
    broker = await Broker.open(config);
    [withoutCors, withCors] = await Promise.all([
      OfflineProcess.start({ env: { ...runEnv(config), CORS_ORIGINS: '' } }),
      OfflineProcess.start({ env: { ...runEnv(config), CORS_ORIGINS: APP } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([withoutCors?.stop('SIGKILL'), withCors?.stop('SIGKILL')]);
    await broker?.deleteQueues(config).catch(() => undefined);
    await broker?.close();
    await database?.drop();
  });

  describe('with CORS_ORIGINS=https://app.example.com', () => {
    it('answers a preflight from that origin 204 with the allowed methods and headers, without credentials', async () => {
      const response = await preflight(withCors, APP);

      expect(response.status).toBe(204);
      expect(corsHeaders(response)).toEqual({
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': 'Content-Type,Authorization,Content-Encoding,X-Retry-Count',
        'access-control-max-age': '600',
      });
    });

    it('lets that origin read the answer of a POST, Retry-After included', async () => {
      const response = await track(withCors, APP);

      expect(response.status).toBe(202);
      expect(corsHeaders(response)).toEqual({
        'access-control-allow-origin': APP,
        'access-control-expose-headers': 'Retry-After',
      });
    });

    it('gives another origin no CORS header, on the preflight or on the POST', async () => {
      const answers = [await preflight(withCors, EVIL), await track(withCors, EVIL)];

      expect(answers.map((response) => response.status)).toEqual([204, 202]);
      expect(answers.map(corsHeaders)).toEqual([{}, {}]);
    });
  });

  describe('without CORS_ORIGINS', () => {
    it('answers a preflight 404 with no CORS header, as an HTTP API without CORS configuration does', async () => {
      const response = await preflight(withoutCors, APP);

      expect(response.status).toBe(404);
      expect(corsHeaders(response)).toEqual({});
    });

    it('adds no CORS header to the answer of a POST from any origin', async () => {
      const answers = [await track(withoutCors, APP), await track(withoutCors, EVIL)];

      expect(answers.map((response) => response.status)).toEqual([202, 202]);
      expect(answers.map(corsHeaders)).toEqual([{}, {}]);
    });
  });
});
