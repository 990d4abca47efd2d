import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for SSM Parameter Store's GetParameters (AWS JSON 1.1 over HTTP), enough for the AWS SDK pointed at it
 * with AWS_ENDPOINT_URL_SSM: it answers the parameters it holds and records every name asked for.
 */
export const startFakeSsm = async (parameters: Record<string, string>) => {
  const asked: string[][] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target !== 'AmazonSSM.GetParameters') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const { Names = [], WithDecryption } = JSON.parse(body) as { Names?: string[]; WithDecryption?: boolean };
      asked.push(Names);
      const found = Names.filter((name) => name in parameters && WithDecryption === true);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(
        JSON.stringify({
          Parameters: found.map((Name) => ({ Name, Type: 'SecureString', Value: parameters[Name], Version: 1 })),
          InvalidParameters: Names.filter((name) => !found.includes(name)),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
