import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import process from 'node:process';
import type { RowDataPacket } from 'mysql2/promise';
import type { BenchServices } from './services.js';

const packageVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};

const osName = (): string => {
  try {
    return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return process.platform;
  }
};

/** What the figures were measured on: they only compare with runs on the same machine. */
export const describeMachine = async (services: BenchServices): Promise<Record<string, unknown>> => {
  const [rows] = await services.db.query<RowDataPacket[]>('SELECT VERSION() AS version');
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${osName()} (kernel ${release()})`,
    node: process.version,
    database: String(rows[0]?.version ?? 'unknown'),
    rabbitmq: services.broker.connection.serverProperties.version,
    packages: Object.fromEntries(
      ['serverless', 'serverless-offline', 'serverless-esbuild', 'esbuild', 'amqplib', 'mysql2', 'drizzle-orm', 'autocannon']
        .map((name) => [name, packageVersion(name)]),
    ),
  };
};
