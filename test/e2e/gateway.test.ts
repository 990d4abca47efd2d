import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, OfflineProcess } from '../../tools/offline.js';
import { listeningTcpPorts } from '../../tools/proc.js';
import { runEnv } from '../../tools/run-config.js';
import { eventually } from '../../tools/services.js';
import { activityMessage, basicAuth, rmqEvent, seedPayload } from '../factories.js';
import { useOfflineStack, useServiceStack } from '../support/offline-stack.js';
import { type RawTarget, sendRaw } from '../support/raw-request.js';

const WRITE_KEY = 'gateway-e2e-write-key-0123456789';
const READ_KEY = 'gateway-e2e-read-key-0123456789';
const INVOCATIONS = (name: string) => `/2015-03-31/functions/user-activity-tracking-dev-${name}/invocations`;
// What the AWS SDKs and CLI send (the guard checks its form; serverless offline checks no signature).
const SIGNED =
  'AWS4-HMAC-SHA256 Credential=local/20260219/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=0';

/** A crafted Amazon MQ event, as the probe sent it: a message persist would store without any key. */
const craftedPersistEvent = (queue: string) => {
  const message = activityMessage({ event_type: 'crafted' });
  return { eventId: message.event_id, body: JSON.stringify(rmqEvent([message], queue)) };
};

// serverless offline prints where its Lambda server listens: "Offline [http for lambda] listening on http://…".
const invokeSocketOf = (output: string): string | undefined =>
  /\[http for lambda\] listening on https?:\/\/[^/]*:(\/\S+)/.exec(output)?.[1];

describe('only the HTTP API is reachable, as on AWS (issue 18)', () => {
  describe('by default, with keys set', () => {
    const stack = useOfflineStack('e2e_gateway', { env: { API_KEYS: WRITE_KEY, READ_API_KEYS: READ_KEY } });
    const api = (): RawTarget => ({ port: stack.offline.ports.http });
    const rowsOf = (eventId: string) =>
      stack.database.rows('SELECT id FROM user_activities WHERE event_id = ?', [eventId]);

    it('listens on TCP for the HTTP API and nothing else: the Lambda invoke port is closed', () => {
      expect(listeningTcpPorts(stack.offline.pid)).toEqual([stack.offline.ports.http]);
    });

    it('refuses a crafted aws:rmq event for persist on the socket serverless offline keeps, from a page or not, and stores nothing', async () => {
      const socketPath = invokeSocketOf(stack.offline.output) as string;
      const { eventId, body } = craftedPersistEvent(stack.config.queueName);

      const answers = [
        await sendRaw({ socketPath }, { method: 'POST', path: INVOCATIONS('persist'), body }),
        await sendRaw(
          { socketPath },
          {
            method: 'POST',
            path: INVOCATIONS('persist'),
            headers: ['Origin', 'http://localhost:5173', 'Content-Type', 'text/plain', 'Authorization', SIGNED],
            body,
          },
        ),
      ];

      expect(socketPath).toMatch(/^\/.+\/invoke\.sock$/);
      expect(answers.map(({ status }) => status)).toEqual([403, 403]);
      expect(answers.map(({ headers }) => headers['access-control-allow-origin'])).toEqual([undefined, undefined]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await rowsOf(eventId)).toEqual([]);
      expect(stack.offline.takeDurations().get('persist')).toBeUndefined();
    });

    const WRONG = 'Bearer wrong-key-0123456789abcdef';
    const duplicates = (key: string) => [
      [WRONG, `Bearer ${key}`],
      [`Bearer ${key}`, WRONG],
      [`Bearer ${key}`, `Bearer ${key}`],
    ];
    const authorization = (values: string[]) => values.flatMap((value) => ['Authorization', value]);

    it('answers duplicate Authorization headers on a keyed write route 401 and stores nothing, as API Gateway joins them', async () => {
      const track = (values: string[], eventId: string) =>
        sendRaw(api(), {
          method: 'POST',
          path: '/api/v1/events/track',
          headers: [...authorization(values), 'Content-Type', 'application/json'],
          body: JSON.stringify({ ...seedPayload, event_id: eventId }),
        });
      const refused = duplicates(WRITE_KEY).map((values) => ({ values, eventId: randomUUID() }));
      const acceptedId = randomUUID();

      const answers = await Promise.all(refused.map(({ values, eventId }) => track(values, eventId)));
      const once = await track([`Bearer ${WRITE_KEY}`], acceptedId);

      expect(answers.map(({ status }) => status)).toEqual([401, 401, 401]);
      expect(JSON.parse(answers[0]?.body ?? '')).toMatchObject({ status: 401, error: 'Unauthorized' });
      expect(once.status).toBe(202);
      expect(await eventually(async () => (await rowsOf(acceptedId)).length, 5000)).toBe(1);
      for (const { eventId } of refused) expect(await rowsOf(eventId)).toEqual([]);
    });

    it('answers duplicate Authorization headers on a keyed read route 401', async () => {
      const read = (values: string[]) =>
        sendRaw(api(), { method: 'GET', path: `/api/v1/events/${randomUUID()}`, headers: authorization(values) });

      const answers = await Promise.all(duplicates(READ_KEY).map(read));
      const once = await read([`Bearer ${READ_KEY}`]);

      expect(answers.map(({ status }) => status)).toEqual([401, 401, 401]);
      expect(once.status).toBe(404);
    });

    it.each([
      ['track', '/api/v1/events/track', seedPayload],
      ['batch', '/api/v1/events/batch', { events: [seedPayload] }],
    ])('answers a %s POST without a Content-Type 415, and publishes nothing', async (_name, path, payload) => {
      const before = await stack.broker.count(stack.config.queueName);

      const answer = await sendRaw(api(), {
        method: 'POST',
        path,
        headers: ['Authorization', `Bearer ${WRITE_KEY}`],
        body: JSON.stringify(payload),
      });

      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.body)).toMatchObject({
        status: 415,
        message: 'Content-Type must be application/json (got none)',
      });
      expect(await stack.broker.count(stack.config.queueName)).toBe(before);
    });

    it('accepts a Segment call without a Content-Type, as Segment does', async () => {
      const messageId = randomUUID();
      const call = { type: 'track', event: 'No Label', userId: 'gateway-user', messageId };

      const answer = await sendRaw(api(), {
        method: 'POST',
        path: '/v1/track',
        headers: ['Authorization', basicAuth(WRITE_KEY)],
        body: JSON.stringify(call),
      });

      expect(answer.status).toBe(200);
    });
  });

  describe('with OFFLINE_LAMBDA_PORT set: open for the AWS SDK or CLI on this machine only', () => {
    const stack = useServiceStack('e2e_gateway_invoke');
    let offline: OfflineProcess;
    let invokePort: number;

    beforeAll(async () => {
      invokePort = await freePort();
      offline = await OfflineProcess.start({
        env: runEnv(stack.config),
        ports: { http: await freePort(), lambda: invokePort },
      });
    });

    afterAll(async () => {
      await offline?.stop('SIGTERM');
    });

    const host = () => `127.0.0.1:${invokePort}`;

    it('listens on the port it was given', () => {
      expect(listeningTcpPorts(offline.pid)).toEqual([offline.ports.http, invokePort].sort((a, b) => a - b));
    });

    it.each([
      [
        'a page on another local origin (fetch, no-cors)',
        () => ['Origin', 'http://localhost:5173', 'Sec-Fetch-Site', 'same-site', 'Content-Type', 'text/plain'],
      ],
      ['a page, even with a signature-shaped header', () => ['Origin', 'null', 'Authorization', SIGNED]],
      ['a page of a name that resolves to 127.0.0.1', () => ['Host', 'rebind.example:80', 'Authorization', SIGNED]],
      ['an unsigned client such as curl', () => ['Content-Type', 'application/json']],
    ])('refuses %s a crafted aws:rmq event for persist, and stores nothing', async (_who, headers) => {
      const { eventId, body } = craftedPersistEvent(stack.config.queueName);

      const answer = await sendRaw(
        { port: invokePort },
        { method: 'POST', path: INVOCATIONS('persist'), headers: headers(), body },
      );

      expect(answer.status).toBe(403);
      expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await stack.database.rows('SELECT id FROM user_activities WHERE event_id = ?', [eventId])).toEqual([]);
      expect(offline.takeDurations().get('persist')).toBeUndefined();
    });

    it('runs a function for a signed call from this machine, as the AWS SDK makes it', async () => {
      const answer = await sendRaw(
        { port: invokePort },
        {
          method: 'POST',
          path: INVOCATIONS('liveness'),
          headers: ['Host', host(), 'Authorization', SIGNED, 'Content-Type', 'application/json'],
          body: '{}',
        },
      );

      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ statusCode: 200 });
    });
  });
});
