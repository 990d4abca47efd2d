import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import process from 'node:process';
import type { Broker, Database } from '../../tools/services.js';

const PACKAGES = 'serverless serverless-offline serverless-esbuild esbuild amqplib mysql2 drizzle-orm autocannon'.split(
  ' ',
);

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

const packageVersion = (name: string): string =>
  (JSON.parse(readText(`node_modules/${name}/package.json`) || '{}') as { version?: string }).version ?? 'unknown';

/** What the figures were measured on: they only compare with runs on the same machine. */
export const describeMachine = async (broker: Broker, database: Database): Promise<Record<string, unknown>> => {
  const [row] = await database.rows<{ version: string }>('SELECT VERSION() AS version');
  const os = /^PRETTY_NAME="?([^"\n]*)/m.exec(readText('/etc/os-release'))?.[1] ?? process.platform;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${os} (kernel ${release()})`,
    node: process.version,
    database: String(row?.version ?? 'unknown'),
    rabbitmq: broker.connection.connection.serverProperties.version,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
  };
};
