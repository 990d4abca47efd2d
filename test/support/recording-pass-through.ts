import { createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** One request as the client sent it, and the server's answer. */
export interface Exchange {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body parsed as JSON (gunzipped first when it came gzipped), or as text when it is not JSON. */
  body: unknown;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  responseBody: string;
}

const readBody = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

const decode = (bytes: Buffer, encoding: string | undefined): unknown => {
  const text = (encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A recording HTTP pass-through between a client (an analytics SDK) and the server: forwards each request as it came
 * (method, path, headers, bytes), hands the answer back, and records both. `beforeAnswer` runs once the server has
 * answered and before the client hears it, e.g. to end the outage that the answer reports.
 */
export class RecordingPassThrough {
  readonly exchanges: Exchange[] = [];
  beforeAnswer: (exchange: Exchange) => Promise<void> | void = () => undefined;
  #server: Server;
  #port = 0;

  private constructor(private readonly target: URL) {
    this.#server = createServer((incoming, answer) => {
      this.#forward(incoming).then(
        ({ status, headers, body }) => answer.writeHead(status, headers).end(body),
        (error: Error) => answer.writeHead(502).end(error.message),
      );
    });
  }

  static async start(target: string): Promise<RecordingPassThrough> {
    const passThrough = new RecordingPassThrough(new URL(target));
    await new Promise<void>((resolve) => passThrough.#server.listen(0, '127.0.0.1', resolve));
    passThrough.#port = (passThrough.#server.address() as { port: number }).port;
    return passThrough;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The status codes answered so far, in order. */
  get statuses(): number[] {
    return this.exchanges.map((exchange) => exchange.status);
  }

  /** Forgets what was recorded and the `beforeAnswer` hook. */
  reset(): void {
    this.exchanges.length = 0;
    this.beforeAnswer = () => undefined;
  }

  async #forward(incoming: IncomingMessage) {
    const bytes = await readBody(incoming);
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: this.target.host },
        },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(bytes);
    });
    const responseBytes = await readBody(upstream);
    const exchange: Exchange = {
      method: incoming.method ?? '',
      path: incoming.url ?? '',
      headers: incoming.headers,
      body: decode(bytes, incoming.headers['content-encoding']),
      status: upstream.statusCode ?? 0,
      responseHeaders: upstream.headers,
      responseBody: responseBytes.toString('utf8'),
    };
    this.exchanges.push(exchange);
    await this.beforeAnswer(exchange);
    const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = upstream.headers;
    return {
      status: exchange.status,
      headers: { ...headers, 'content-length': responseBytes.length },
      body: responseBytes,
    };
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
