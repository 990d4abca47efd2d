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
  image?: string;
  environment: Record<string, string>;
  ports?: Array<string | { host_ip?: string; published: string | number; target: number }>;
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
    const config = parseConfig(services.app?.environment ?? {});
    expect(config.databaseUrl).toBe('mysql://alice:s3cret-db@mysql:3306/activity_prod');
    expect(config.rabbitmqUrl).toBe('amqp://bob:s3cret-mq@rabbitmq:5672');
  });

  it('keeps passwords with / # @ and % intact on their way to the app', async () => {
    const password = 'p/w#1@x%2Fy:z';
    const example = await readFile('.env.example', 'utf8');
    const custom = example
      .replace(/^MYSQL_PASSWORD=.*$/m, `MYSQL_PASSWORD=${password}`)
      .replace(/^RABBITMQ_DEFAULT_PASS=.*$/m, `RABBITMQ_DEFAULT_PASS=${password}`);

    const { services } = await resolved(await envFile('special.env', custom));

    expect(services.mysql?.environment.MYSQL_PASSWORD).toBe(password);
    expect(services.rabbitmq?.environment.RABBITMQ_DEFAULT_PASS).toBe(password);
    const config = parseConfig(services.app?.environment ?? {});
    for (const url of [config.databaseUrl, config.rabbitmqUrl]) {
      // What mysql2 and amqplib do with a URL's password.
      expect(decodeURIComponent(new URL(url).password)).toBe(password);
      expect(unescape(new URL(url).password)).toBe(password);
    }
    expect(new URL(config.databaseUrl).host).toBe('mysql:3306');
  });

  it('passes every setting of .env that the service reads to the app', async () => {
    const example = await readFile('.env.example', 'utf8');
    // Credentials of the containers, and what compose itself sets for the app (the URLs, where it listens).
    const notPassed = /^(MYSQL_|RABBITMQ_DEFAULT_|RABBITMQ_URL$|DATABASE_URL$|HTTP_HOST$|HTTP_PORT$)/;
    const names = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)]
      .map((m) => m[1] ?? '')
      .filter((name) => !notPassed.test(name));
    expect(names).toEqual(expect.arrayContaining(['LOG_LEVEL', 'DB_POOL_SIZE', 'PERSIST_RETRY_BACKOFF_MAX_MS']));
    const custom = names.reduce(
      (text, name) => text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=set-${name.toLowerCase()}`),
      example,
    );

    const { services } = await resolved(await envFile('every.env', custom));

    const missing = names.filter((name) => services.app?.environment[name] !== `set-${name.toLowerCase()}`);
    expect(missing).toEqual([]);
  });

  it('publishes the API on 127.0.0.1 unless APP_PUBLISH_ADDRESS says otherwise', async () => {
    const published = (service: Service | undefined) =>
      (service?.ports ?? []).map((port) =>
        typeof port === 'string'
          ? port.replace(/\/tcp$/, '')
          : `${port.host_ip ?? ''}:${port.published}:${port.target}`,
      );
    expect(published((await resolved('.env.example')).services.app)).toEqual(['127.0.0.1:8000:8000']);
    const example = await readFile('.env.example', 'utf8');
    const everywhere = await envFile('public.env', `${example}\nAPP_PUBLISH_ADDRESS=0.0.0.0\nAPP_PORT=8080\n`);
    expect(published((await resolved(everywhere)).services.app)).toEqual(['0.0.0.0:8080:8000']);
  });

  it('runs the RabbitMQ major that docs/deploy.md has the Amazon MQ broker created with', async () => {
    const { services } = await resolved('.env.example');
    const major = /^rabbitmq:(\d+\.\d+)/.exec(services.rabbitmq?.image ?? '')?.[1];
    expect(major).toBeDefined();
    expect(await readFile('docs/deploy.md', 'utf8')).toMatch(new RegExp(`--engine-version ${major}\\b`));
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

describe('Dockerfile', () => {
  const stages = async () =>
    (await readFile('Dockerfile', 'utf8'))
      .split(/^(?=FROM )/m)
      .filter((stage) => stage.startsWith('FROM '))
      .map((stage) => ({ from: stage.split('\n')[0] ?? '', text: stage }));

  it('passes dockerfile-utils lint', async () => {
    const outcome = await run('node_modules/.bin/dockerfile-utils', ['lint', 'Dockerfile']).then(
      ({ stdout }) => stdout,
      (error: { stdout: string }) => `failed: ${error.stdout}`,
    );
    expect(outcome).toBe('');
  });

  it('builds in one stage and runs on Node 24 as an unprivileged user in another, with a HEALTHCHECK', async () => {
    const all = await stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const { from } of all) expect(from).toMatch(/^FROM node:24[-.\w]* ?/);
    const runtime = all.at(-1)?.text ?? '';
    expect(runtime).toMatch(/^COPY --from=\w+ /m);
    const users = [...runtime.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*CMD /m);
  });

  it('leaves secrets, the repository and local builds out of the build context', async () => {
    const ignored = (await readFile('.dockerignore', 'utf8')).split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', '.git', '.serverless', '.esbuild']));
  });
});
