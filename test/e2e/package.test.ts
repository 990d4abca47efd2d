import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
});
