import { statSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createInvokeEndpoint,
  guardServer,
  isInvokeServer,
  lambdaPortOf,
  removeInvokeEndpoint,
} from './invoke-endpoint.js';

/** A server standing in for hapi's: it answers 200 to every request it is given, and to Expect: 100-continue. */
const startServer = async (): Promise<{ server: Server; handled: string[] }> => {
  const handled: string[] = [];
  const server = createServer((req, res) => {
    handled.push(req.url ?? '');
    req.resume();
    res.end('ran');
  });
  server.on('checkContinue', (req, res) => {
    handled.push(req.url ?? '');
    res.writeContinue();
    req.resume();
    res.end('ran');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, handled };
};

const post = (server: Server, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string; errorType: unknown }>((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, errorType: res.headers['x-amzn-errortype'] }));
    });
    req.on('error', reject);
    req.end('{}');
  });

const refuseMarked = (request: IncomingMessage) => (request.headers['x-refuse'] ? 'refused for the test' : undefined);

describe("guarding serverless offline's Lambda invoke server", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it('answers a refused request 403 without running the server’s own listener, and passes the others to it', async () => {
    const started = await startServer();
    server = started.server;
    guardServer(server, refuseMarked);

    const refused = await post(server, '/refused', { 'x-refuse': '1' });
    const waiting = await post(server, '/refused-waiting', { 'x-refuse': '1', expect: '100-continue' });
    const allowed = await post(server, '/allowed');
    const allowedWaiting = await post(server, '/allowed-waiting', { expect: '100-continue' });

    expect([refused, waiting].map(({ status, errorType }) => [status, errorType])).toEqual([
      [403, 'AccessDeniedException'],
      [403, 'AccessDeniedException'],
    ]);
    expect(JSON.parse(refused.body)).toEqual({ Type: 'User', message: 'refused for the test' });
    expect([allowed.status, allowedWaiting.status]).toEqual([200, 200]);
    expect(started.handled).toEqual(['/allowed', '/allowed-waiting']);
  });

  it('guards a server once, however many requests find it', async () => {
    const started = await startServer();
    server = started.server;

    guardServer(server, refuseMarked);
    guardServer(server, () => 'a second guard');

    expect((await post(server, '/allowed')).status).toBe(200);
    expect(server.listenerCount('request')).toBe(1);
  });

  it('keeps a closed endpoint off TCP, in a folder only this user can open, and recognises its server', async () => {
    const endpoint = createInvokeEndpoint(undefined);
    const socketPath = lambdaPortOf(endpoint) as string;
    const folder = statSync(socketPath.replace(/\/invoke\.sock$/, ''));
    const socketServer = createServer();
    await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
    const started = await startServer();
    server = started.server;

    expect(endpoint.open).toBe(false);
    expect(folder.mode & 0o777).toBe(0o700);
    expect([isInvokeServer(endpoint, socketServer), isInvokeServer(endpoint, server)]).toEqual([true, false]);
    await new Promise((resolve) => socketServer.close(resolve));
    removeInvokeEndpoint(endpoint);
    expect(() => statSync(socketPath.replace(/\/invoke\.sock$/, ''))).toThrow(/ENOENT/);
  });

  it('opens an endpoint on the port it is given, and recognises its server by that port', async () => {
    const started = await startServer();
    server = started.server;
    const { port } = server.address() as AddressInfo;
    const endpoint = createInvokeEndpoint(port);

    expect(lambdaPortOf(endpoint)).toBe(port);
    expect(isInvokeServer(endpoint, server)).toBe(true);
    expect(isInvokeServer(createInvokeEndpoint(port + 1), server)).toBe(false);
  });
});
