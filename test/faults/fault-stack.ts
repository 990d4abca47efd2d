import type { Config } from '../../lib/config.js';
import type { Sent } from '../../tools/load/steady-load.js';
import { OfflineProcess } from '../../tools/offline.js';
import { rssBytes } from '../../tools/proc.js';
import { runConfig } from '../../tools/run-config.js';
import { Broker, Database, eventually } from '../../tools/services.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.js';
import { classify, formatLedger, type Ledger } from './ledger.js';

export interface FaultStackOptions {
  /**
   * Whose way to the database `dbProxy` is on: every function's (the default), or persist's alone, given to it as
   * PERSIST_DATABASE_URL, while the HTTP functions and the deletion runner go straight to the database: an outage of
   * the queue consumer's database path with the API still working.
   */
  dbProxyFor?: 'every function' | 'persist';
}

/**
 * The real `serverless offline` process with its own queue and database, talking to RabbitMQ and MariaDB through
 * fault proxies of ours. The test's own broker and database handles go direct, so they see the truth.
 */
export class FaultStack {
  offline!: OfflineProcess;
  private constructor(
    readonly config: Config,
    readonly database: Database,
    readonly broker: Broker,
    readonly rabbitProxy: TcpProxy,
    readonly dbProxy: TcpProxy,
    private readonly env: Record<string, string>,
  ) {}

  static async create(
    name: string,
    env: Record<string, string> = {},
    { dbProxyFor = 'every function' }: FaultStackOptions = {},
  ): Promise<FaultStack> {
    const config = runConfig(name, env);
    const database = await Database.create(config);
    const broker = await Broker.open(config);
    const rabbitProxy = await TcpProxy.inFrontOf(config.rabbitmqUrl, 5672);
    const dbProxy = await TcpProxy.inFrontOf(config.databaseUrl, 3306);
    const stack = new FaultStack(config, database, broker, rabbitProxy, dbProxy, {
      PUBLISH_TIMEOUT_MS: '2000',
      PERSIST_RETRY_BACKOFF_MAX_MS: '2000',
      ...env,
      RABBITMQ_URL: viaProxy(config.rabbitmqUrl, rabbitProxy),
      RABBITMQ_QUEUE: config.queueName,
      ...(dbProxyFor === 'persist'
        ? { DATABASE_URL: config.databaseUrl, PERSIST_DATABASE_URL: viaProxy(config.databaseUrl, dbProxy) }
        : { DATABASE_URL: viaProxy(config.databaseUrl, dbProxy), PERSIST_DATABASE_URL: '' }),
    });
    await stack.start();
    return stack;
  }

  /** Starts (or restarts, on the same ports) serverless offline. */
  async start(): Promise<void> {
    this.offline = await OfflineProcess.start({
      env: this.env,
      ...(this.offline ? { ports: this.offline.ports } : {}),
    });
  }

  url = (): string => this.offline.baseUrl;

  /** Resident memory of the serverless offline process (its worker threads included), in MB. */
  rssMb(): number {
    return rssBytes(this.offline.pid) / 1024 / 1024;
  }

  async rowCounts(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.database.rows<{ event_id: string; n: number }>(
        'SELECT event_id, COUNT(*) AS n FROM user_activities WHERE event_id IN (?) GROUP BY event_id',
        [ids.slice(i, i + 1000)],
      );
      for (const row of rows) counts.set(row.event_id, Number(row.n));
    }
    return counts;
  }

  /** Waits until every 202 is a row (or the time is up), then classifies every id and prints the ledger line. */
  async settle(
    scenario: string,
    sent: Sent[],
    timeoutMs = 60_000,
    deadLettered = new Set<string>(),
  ): Promise<Ledger & { drainMs: number }> {
    const started = Date.now();
    const accepted = [...new Set(sent.filter((s) => s.status === 202).map((s) => s.eventId))].filter(
      (id) => !deadLettered.has(id),
    );
    await eventually(async () => (await this.rowCounts(accepted)).size === accepted.length, timeoutMs, 200);
    const drainMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500)); // let any duplicate show itself
    const ledger = classify(sent, await this.rowCounts([...new Set(sent.map((s) => s.eventId))]), deadLettered);
    console.log(formatLedger(scenario, ledger, `drainMs=${drainMs}`));
    return { ...ledger, drainMs };
  }

  async close(): Promise<void> {
    await this.offline?.stop('SIGTERM').catch(() => undefined);
    await this.rabbitProxy.stop();
    await this.dbProxy.stop();
    await this.broker.deleteQueues(this.config).catch(() => undefined);
    await this.broker.close().catch(() => undefined);
    await this.database.drop();
  }
}
