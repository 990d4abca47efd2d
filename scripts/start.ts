/**
 * `npm start`: make sure RabbitMQ and MySQL answer (bringing docker-compose's up only when they do not and a Docker
 * engine does), apply migrations, then run `serverless offline start` until Ctrl-C / SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import process from 'node:process';
import type { Config } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';
import { loadDotEnv, serviceConfig } from '../tools/env.js';
import { spawnOffline } from '../tools/offline.js';

const reachable = (url: string, defaultPort: number): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || defaultPort), timeout: 1500 });
    const settle = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket
      .once('connect', () => settle(true))
      .once('error', () => settle(false))
      .once('timeout', () => settle(false));
  });

const servicesUp = async (config: Config) =>
  (await reachable(config.rabbitmqUrl, 5672)) && (await reachable(config.databaseUrl, 3306));

const compose = (): string[] | undefined => {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return undefined;
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
};

const startInfrastructure = async (): Promise<Config> => {
  const command = compose();
  if (!command) {
    throw new Error(
      'RabbitMQ or MySQL is not reachable and no Docker engine answers. Start them yourself and set RABBITMQ_URL / ' +
        'DATABASE_URL (see .env.example), or start Docker so `npm start` can run docker-compose.yml.',
    );
  }
  if (!existsSync('.env')) {
    copyFileSync('.env.example', '.env');
    console.log('Created .env from .env.example (change the passwords before you use this beyond your machine).');
  }
  loadDotEnv();
  const config = serviceConfig();
  const [bin, ...args] = command as [string, ...string[]];
  console.log('Starting MySQL and RabbitMQ with docker compose...');
  const up = spawnSync(bin, [...args, 'up', '-d', 'mysql', 'rabbitmq'], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('docker compose up failed');
  for (let waited = 0; !(await servicesUp(config)); waited += 2) {
    if (waited > 180) throw new Error('MySQL and RabbitMQ did not become reachable within 3 minutes');
    await new Promise((r) => setTimeout(r, 2000));
  }
  return config;
};

const migrateWithRetry = async (config: Config) => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await migrateDatabase(config);
    } catch (error) {
      // A freshly started MySQL accepts TCP before it accepts logins.
      if (attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
};

const main = async () => {
  let config = serviceConfig();
  if (!(await servicesUp(config))) config = await startInfrastructure();
  await migrateWithRetry(config);
  console.log(`Database ${config.databaseName} is migrated; starting serverless offline`);
  const offline = spawnOffline({}, 'inherit');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => offline.kill(signal));
  offline.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
