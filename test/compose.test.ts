import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import process from 'node:process';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

// CI installs Debian's docker-compose; on a workstation without it the check cannot run.
describe.skipIf(!hasDockerCompose && !process.env.CI)('docker-compose.yml', () => {
  it('is valid with the variables of .env.example', async () => {
    await expect(run('docker-compose', ['--env-file', '.env.example', 'config', '-q'])).resolves.toBeDefined();
  });

  it('has MySQL 8.4, RabbitMQ with management and the app, with healthchecks and named volumes', async () => {
    const { stdout } = await run('docker-compose', ['--env-file', '.env.example', 'config']);
    expect(stdout).toMatch(/image: mysql:8\.4/);
    expect(stdout).toMatch(/image: rabbitmq:[\d.]+-management/);
    expect(stdout.match(/healthcheck:/g)).toHaveLength(3);
    expect(stdout).toMatch(/condition: service_healthy/);
    expect(stdout).toMatch(/mysql-data:/);
    expect(stdout).toMatch(/DATABASE_URL: mysql:\/\/activity:change-me@mysql:3306\/user_activity_db/);
  });

  it('refuses to start without credentials rather than run with blank passwords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'uat-compose-'));
    const empty = join(dir, 'empty.env');
    await writeFile(empty, '');
    const env = { PATH: process.env.PATH ?? '' };
    try {
      await expect(run('docker-compose', ['--env-file', empty, 'config', '-q'], { env })).rejects.toThrow(/MYSQL_ROOT_PASSWORD/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
