import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP fault proxy of our own between the code and a shared service, so outages are made without touching the
 * shared RabbitMQ or MariaDB: it forwards, adds latency, refuses and resets (`cut`), or black-holes (`blackhole`:
 * connections stay open but nothing flows, as in a network partition).
 */
export class TcpProxy {
  #server: Server;
  #pairs = new Set<[Socket, Socket]>();
  #mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  latencyMs = 0;
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.#server = createServer((client) => this.#forward(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.#server.address() as { port: number }).port;
    return proxy;
  }

  static async inFrontOf(url: string, defaultPort: number): Promise<TcpProxy> {
    const { hostname, port } = new URL(url);
    return TcpProxy.start({ host: hostname, port: Number(port || defaultPort) });
  }

  #relay(from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      // Equal delays fire in order, so the byte stream stays intact.
      if (this.latencyMs > 0) setTimeout(() => to.write(chunk), this.latencyMs);
      else to.write(chunk);
    });
  }

  #forward(client: Socket): void {
    if (this.#mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(this.target);
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    for (const socket of pair) socket.on('error', () => undefined);
    client.on('close', () => {
      upstream.destroy();
      this.#pairs.delete(pair);
    });
    upstream.on('close', () => client.destroy());
    this.#relay(client, upstream);
    this.#relay(upstream, client);
    if (this.#mode === 'blackhole') for (const socket of pair) socket.pause();
  }

  /** Resets every open connection and refuses new ones until `heal()`. */
  cut(): void {
    this.#mode = 'refuse';
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
  }

  /** Lets connections open but moves no byte in either direction until `heal()`. */
  blackhole(): void {
    this.#mode = 'blackhole';
    for (const pair of this.#pairs) for (const socket of pair) socket.pause();
  }

  heal(): void {
    this.#mode = 'forward';
    for (const pair of this.#pairs) for (const socket of pair) socket.resume();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** The same URL, pointed at the proxy. */
export const viaProxy = (url: string, proxy: TcpProxy): string => {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.href;
};
