import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../lib/config.js';
import { toolEnv, toolSettings } from '../../tools/env.js';

const run = promisify(execFile);
const hasDockerCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

interface Service {
  environment: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: Array<string | { source: string; target: string }>;
}

/** A service's mounts as `{ source, target }`, whether docker-compose printed the short (v1) or long (v2) syntax. */
const mountsOf = (service: Service | undefined) =>
  (service?.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target };
    const [source, target] = v.split(':');
    return { source, target };
  });

// CI installs Debian's docker-compose; on a workstation without it the check cannot run.
describe.skipIf(!hasDockerCompose && !toolSettings().ci)('docker-compose.yml', () => {
  let dir: string;
  /** The compose model as docker-compose resolves it with `envFile` (no Docker engine needed). */
  const resolved = async (
    envFile: string,
  ): Promise<{ services: Record<string, Service>; volumes?: Record<string, unknown> }> => {
    const { stdout } = await run('docker-compose', ['--env-file', envFile, 'config'], {
      env: { PATH: toolEnv().PATH ?? '' },
    });
    return parse(stdout);
  };
  const envFile = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uat-compose-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the app a configuration the service accepts when .env.example is copied to .env', async () => {
    const { services } = await resolved('.env.example');
    const config = parseConfig(services.app?.environment ?? {});
    expect(config).toMatchObject({ queueName: 'user_activity_events', databaseName: 'user_activity_db' });
    expect(new URL(config.rabbitmqUrl).host).toBe('rabbitmq:5672');
    expect(new URL(config.databaseUrl).host).toBe('mysql:3306');
  });

  it('builds the app’s broker and database URLs from the credentials the env file gives MySQL and RabbitMQ', async () => {
    const example = await readFile('.env.example', 'utf8');
    const custom = example
      .replace(/^MYSQL_USER=.*$/m, 'MYSQL_USER=alice')
      .replace(/^MYSQL_PASSWORD=.*$/m, 'MYSQL_PASSWORD=s3cret-db')
      .replace(/^MYSQL_DATABASE=.*$/m, 'MYSQL_DATABASE=activity_prod')
      .replace(/^RABBITMQ_DEFAULT_USER=.*$/m, 'RABBITMQ_DEFAULT_USER=bob')
      .replace(/^RABBITMQ_DEFAULT_PASS=.*$/m, 'RABBITMQ_DEFAULT_PASS=s3cret-mq');

    const { services } = await resolved(await envFile('custom.env', custom));

    expect(services.mysql?.environment).toMatchObject({
      MYSQL_USER: 'alice',
      MYSQL_PASSWORD: 's3cret-db',
      MYSQL_DATABASE: 'activity_prod',
    });
    expect(services.rabbitmq?.environment).toMatchObject({
      RABBITMQ_DEFAULT_USER: 'bob',
      RABBITMQ_DEFAULT_PASS: 's3cret-mq',
    });
    expect(services.app?.environment).toMatchObject({
      DATABASE_URL: 'mysql://alice:s3cret-db@mysql:3306/activity_prod',
      RABBITMQ_URL: 'amqp://bob:s3cret-mq@rabbitmq:5672',
    });
  });

  it('starts the app only once MySQL and RabbitMQ are healthy, and keeps their data in named volumes', async () => {
    const { services, volumes } = await resolved('.env.example');

    expect(services.app?.depends_on).toEqual({
      mysql: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
    });
    for (const name of ['mysql', 'rabbitmq', 'app'])
      expect(services[name]?.healthcheck?.test.length, name).toBeGreaterThan(0);
    const named = Object.keys(volumes ?? {});
    expect(mountsOf(services.mysql)).toContainEqual({ source: expect.toBeOneOf(named), target: '/var/lib/mysql' });
    expect(mountsOf(services.rabbitmq)).toContainEqual({
      source: expect.toBeOneOf(named),
      target: '/var/lib/rabbitmq',
    });
  });

  it('refuses to start without credentials rather than run with blank passwords', async () => {
    const empty = await envFile('empty.env', '');
    await expect(resolved(empty)).rejects.toThrow(/MYSQL_ROOT_PASSWORD/);
  });
});
