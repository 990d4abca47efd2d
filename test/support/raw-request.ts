import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Where a raw request goes: a TCP port on 127.0.0.1, or a Unix socket. */
export type RawTarget = { port: number } | { socketPath: string };

/**
 * A request with its headers exactly as given (name, value, name, value, …): duplicates stay duplicates, which
 * fetch() would join, and nothing is added but Host and Content-Length when they are not given.
 */
export const sendRaw = (
  target: RawTarget,
  { method, path, headers = [], body }: { method: string; path: string; headers?: string[]; body?: string },
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const names = headers.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase());
    const host = 'port' in target ? `127.0.0.1:${target.port}` : 'localhost';
    const raw = [
      ...(names.includes('host') ? [] : ['Host', host]),
      ...headers,
      ...(body === undefined || names.includes('content-length')
        ? []
        : ['Content-Length', String(Buffer.byteLength(body))]),
    ];
    const req = request(
      { ...('port' in target ? { host: '127.0.0.1', port: target.port } : target), method, path, headers: raw },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
