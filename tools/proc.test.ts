import { createServer } from 'node:net';
import process from 'node:process';
import { describe, expect, it } from 'vitest';
import { listeningTcpPorts } from './proc.js';

describe('/proc readers', () => {
  it('lists the TCP ports a process listens on, IPv4 and IPv6, and no longer a closed one', async () => {
    const listen = (host: string) =>
      new Promise<ReturnType<typeof createServer>>((resolve) => {
        const server = createServer().listen(0, host, () => resolve(server));
      });
    const port = (server: ReturnType<typeof createServer>) => (server.address() as { port: number }).port;
    const v4 = await listen('127.0.0.1');
    const v6 = await listen('::1').catch(() => undefined);

    expect(listeningTcpPorts(process.pid)).toEqual(
      expect.arrayContaining([v4, v6].flatMap((s) => (s ? [port(s)] : []))),
    );
    const closed = port(v4);
    await new Promise((resolve) => v4.close(resolve));
    v6?.close();
    expect(listeningTcpPorts(process.pid)).not.toContain(closed);
  });
});
