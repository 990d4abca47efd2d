import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '../../deploy/function-access.js';
import { startFakeSsm } from '../support/fake-ssm.js';

const run = promisify(execFile);

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

describe('serverless package (offline, no AWS account)', () => {
  let out: string;
  let resources: Record<string, Resource>;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'uat-package-'));
    await run('node_modules/.bin/serverless', ['package', '--package', out], { timeout: 120_000 });
    const template = JSON.parse(await readFile(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    resources = template.Resources;
  }, 150_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

  it('renders the rabbitmq event of persist as an EventSourceMapping on user_activity_events', () => {
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['PersistLambdaFunction', 'Arn'] },
      Queues: ['user_activity_events'],
      BatchSize: 100,
      EventSourceArn: expect.stringMatching(/^arn:aws:mq:/),
      SourceAccessConfigurations: expect.arrayContaining([expect.objectContaining({ Type: 'BASIC_AUTH' })]),
    });
  });

  it('routes every endpoint through the HTTP API', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual([
      'GET /api/v1/activities',
      'GET /api/v1/debugger/events',
      'GET /api/v1/debugger/failed',
      'GET /api/v1/debugger/failed/{id}',
      'GET /api/v1/events/{event_id}',
      'GET /api/v1/regulations',
      'GET /api/v1/regulations/{regulateId}',
      'GET /api/v1/stats',
      'GET /api/v1/users/{user_id}/activities',
      'GET /debugger',
      'GET /health',
      'GET /health/live',
      'GET /metrics',
      'GET /openapi.json',
      'GET /v1/projects/{writeKey}/settings',
      'POST /api/v1/events/batch',
      'POST /api/v1/events/track',
      'POST /api/v1/regulations',
      'POST /v1/a',
      'POST /v1/alias',
      'POST /v1/b',
      'POST /v1/batch',
      'POST /v1/g',
      'POST /v1/group',
      'POST /v1/i',
      'POST /v1/identify',
      'POST /v1/import',
      'POST /v1/p',
      'POST /v1/page',
      'POST /v1/s',
      'POST /v1/screen',
      'POST /v1/t',
      'POST /v1/track',
    ]);
  });

  it('ships bundled JavaScript handlers, not TypeScript sources', async () => {
    for (const fn of ['track', 'batch', 'segment', 'persist', 'health']) {
      const { stdout } = await run('unzip', ['-Z1', join(out, `${fn}.zip`)]);
      const files = stdout.trim().split('\n');
      expect(files).toContain(`functions/${fn}/handler.js`);
      expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
      const { stdout: head } = await run('unzip', ['-p', join(out, `${fn}.zip`), `functions/${fn}/handler.js`], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(head).toMatch(/export\s*\{[^}]*handler/);
    }
  });

  // Strings each driver's code carries whatever the minifier does to names (error codes, an auth mechanism).
  const DRIVERS = {
    mysql2: { marker: 'PROTOCOL_CONNECTION_LOST', uses: (fn: string) => FUNCTION_ACCESS[fn]?.database },
    drizzle: { marker: 'MySqlDialect', uses: (fn: string) => FUNCTION_ACCESS[fn]?.database },
    amqplib: { marker: 'AMQPLAIN', uses: (fn: string) => FUNCTION_ACCESS[fn]?.broker },
  };

  it('bundles in each function only the drivers it uses, minified, without its source map', async () => {
    for (const fn of Object.keys(FUNCTION_ACCESS)) {
      const zip = join(out, `${fn}.zip`);
      const { stdout: list } = await run('unzip', ['-Z1', zip]);
      expect(list.trim().split('\n'), fn).toEqual([expect.stringMatching(/^functions\/[a-z-]+\/handler\.js$/)]);
      const { stdout: code } = await run('unzip', ['-p', zip], { maxBuffer: 64 * 1024 * 1024 });
      for (const [driver, { marker, uses }] of Object.entries(DRIVERS)) {
        expect(code.includes(marker), `${fn} bundles ${driver}`).toBe(Boolean(uses(fn)));
      }
      // Minified: long lines (only template literals keep their line breaks), not one line per statement.
      expect(code.length / code.split('\n').length, fn).toBeGreaterThan(200);
    }
    // Issue 21: well below the 1.74 MB of the unminified bundle with its map (mysql2 and drizzle included, for the
    // tracking plan's counts, they are about 620 KB).
    const { size } = await stat(join(out, 'track.zip'));
    expect(size).toBeLessThan(800 * 1024);
  });

  it('reads a secret given as an SSM parameter name at start, with the SDK the Lambda runtime provides', async () => {
    const key = 'ssm-write-key-0123456789';
    const ssm = await startFakeSsm({ '/uat/test/api-keys': key, '/uat/test/privacy-hash-key': 'h'.repeat(32) });
    const dir = await mkdtemp(join(tmpdir(), 'uat-bundle-'));
    try {
      await run('unzip', ['-q', join(out, 'segmentSettings.zip'), '-d', dir]);
      // The bundle leaves @aws-sdk/client-ssm out, as nodejs24.x has it: here the project's copy stands in for it.
      await symlink(resolve('node_modules'), join(dir, 'node_modules'));
      const event = (writeKey: string) => ({
        version: '2.0',
        rawPath: `/v1/projects/${writeKey}/settings`,
        headers: { host: 'api.example.com' },
        pathParameters: { writeKey },
        requestContext: { http: { method: 'GET', path: `/v1/projects/${writeKey}/settings` }, stage: '$default' },
        isBase64Encoded: false,
      });
      await writeFile(
        join(dir, 'invoke.mjs'),
        [
          "const { handler } = await import('./functions/segment-settings/handler.js');",
          "const context = { awsRequestId: 'r', functionName: 'segmentSettings', getRemainingTimeInMillis: () => 5000 };",
          `const right = await handler(${JSON.stringify(event(key))}, context);`,
          `const wrong = await handler(${JSON.stringify(event('another-key-0123456789'))}, context);`,
          'console.log(JSON.stringify([right.statusCode, wrong.statusCode]));',
        ].join('\n'),
      );
      const { stdout } = await run(process.execPath, ['invoke.mjs'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          API_KEYS: 'ssm:/uat/test/api-keys',
          // Required once a key is set (lib/config.ts); read in the same call.
          PRIVACY_HASH_KEY: 'ssm:/uat/test/privacy-hash-key',
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
          AWS_SECRET_ACCESS_KEY: 'fake',
          AWS_ENDPOINT_URL_SSM: ssm.url,
          AWS_LAMBDA_FUNCTION_NAME: 'segmentSettings',
          METRICS_OUTPUT: 'off',
        },
      });
      // The key is known only from SSM: its own key answers 200, another 404 (API_KEYS is set, so sources are closed).
      expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual([200, 404]);
      expect(ssm.asked).toEqual([['/uat/test/api-keys', '/uat/test/privacy-hash-key']]);
    } finally {
      await ssm.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
