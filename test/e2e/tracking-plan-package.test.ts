import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OfflineProcess } from '../../tools/offline.js';

const run = promisify(execFile);
const BAD_PLAN = 'test/fixtures/plans/bad-schema.json';
const PLAN_PROBLEM =
  'Invalid tracking plan test/fixtures/plans/bad-schema.json at $.events.checkout.metadata.properties.total.type: ' +
  'is not valid JSON Schema: must be equal to one of the allowed values';

const serverless = (args: string[], env: Record<string, string>) =>
  run('node_modules/.bin/serverless', args, { timeout: 180_000, env: { ...process.env, ...env } });

describe('the tracking plan file at start and in the package (issue 20)', () => {
  it('stops serverless offline start on a plan whose schema does not compile, naming file, JSON path and reason', async () => {
    const starting = OfflineProcess.start({ env: { TRACKING_PLAN: BAD_PLAN } });

    await expect(starting).rejects.toThrowError(PLAN_PROBLEM);
  });

  it('stops serverless package the same way', async () => {
    const failure = await serverless(['package', '--package', join(tmpdir(), 'uat-bad-plan')], {
      TRACKING_PLAN: BAD_PLAN,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    expect(failure?.code).not.toBe(0);
    expect(`${failure?.stdout}${failure?.stderr}`).toContain(PLAN_PROBLEM);
  });

  it('packages the plan with the functions, at the path TRACKING_PLAN gives', async () => {
    const out = await mkdtemp(join(tmpdir(), 'uat-plan-package-'));
    try {
      const plan = 'test/fixtures/plans/checkout-reject.json';
      await serverless(['package', '--package', out], { TRACKING_PLAN: plan });

      const { stdout } = await run('unzip', ['-l', join(out, 'track.zip')]);
      expect(stdout).toContain(plan);
      // The validators compiled at package time, evaluated at a cold start instead of compiled (lib/plan/precompiled.ts).
      expect(stdout).toMatch(/\.tracking-plan\/[0-9a-f]{32}\.cjs/);
      const segment = await run('unzip', ['-l', join(out, 'segment.zip')]);
      expect(segment.stdout).toContain(plan);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 200_000);
});
