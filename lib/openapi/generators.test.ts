import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// What a user does first with the document: lint it and generate a typed client from it (issue 21).
describe('openapi.yaml in the tools clients are generated with', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uat-openapi-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has no error in Redocly’s recommended rules', async () => {
    const outcome = await run('node_modules/.bin/redocly', ['lint', 'openapi.yaml', '--format=summary'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).then(
      ({ stdout, stderr }) => ({ failed: false, output: `${stdout}${stderr}` }),
      (error: { stdout: string; stderr: string }) => ({ failed: true, output: `${error.stdout}${error.stderr}` }),
    );
    expect(outcome.output).not.toMatch(/^error /m);
    expect(outcome.failed, outcome.output).toBe(false);
  }, 60_000);

  it('gives openapi-typescript types that compile, with an operation per operationId', async () => {
    const types = join(dir, 'api.d.ts');
    await run('node_modules/.bin/openapi-typescript', ['openapi.yaml', '-o', types]);
    const usage = join(dir, 'usage.ts');
    await writeFile(
      usage,
      [
        "import type { components, operations } from './api.js';",
        "type Track = operations['trackEvent']['requestBody']['content']['application/json'];",
        "export const event: Track = { user_id: 1, event_type: 'login', timestamp: '2026-02-19T10:00:00Z', metadata: { a: { b: [1] } } };",
        "export type Stored = components['schemas']['StoredActivity'];",
      ].join('\n'),
    );
    await run('node_modules/.bin/tsc', ['--noEmit', '--strict', '--module', 'nodenext', '--skipLibCheck', usage]);
  }, 60_000);
});
