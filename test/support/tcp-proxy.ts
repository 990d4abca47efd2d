import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP fault proxy of our own between the code and a shared service: it forwards, or refuses, or cuts every
 * open connection, so outages are made without touching the shared RabbitMQ or MariaDB.
 */
export class TcpProxy {
  #server: Server;
  #sockets = new Set<Socket>();
  #refusing = false;
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

  #forward(client: Socket): void {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(this.target);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Drops every open connection and refuses new ones until `heal()`. */
  cut(): void {
    this.#refusing = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  heal(): void {
    this.#refusing = false;
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
