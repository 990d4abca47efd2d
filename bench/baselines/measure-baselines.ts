import { plan } from '../plan.js';
import type { RunLog } from '../run-log.js';
import type { BenchConfig } from '../support/bench-config.js';
import { formatInt } from '../support/progress.js';
import type { BenchServices } from '../support/services.js';
import { measureTrivialOffline } from './b0-offline-trivial.js';
import { measureAmqpPublish } from './b1-amqp-publish.js';
import { measureMysqlInsert } from './b2-mysql-insert.js';

export interface BaselineContext {
  config: BenchConfig;
  services: BenchServices;
  /** The working-tree copy serverless offline runs from, and where its output goes. */
  root: string;
  logFile: (name: string) => string;
  offlineArgs: string[];
  /** Node flags for the serverless offline processes (the ones `npm start` uses). */
  nodeArgs: string[];
}

/** B2, then B1 (which leaves P3's preload on the queue), then B0. Resolves whether the preload is in place. */
export const measureBaselines = async (log: RunLog, { config, services, root, logFile, offlineArgs, nodeArgs }: BaselineContext) => {
  await log.stage('B2', `${formatInt(plan.mysqlRows)} rows through mysql2, ${config.batchSize} per INSERT`, async () => {
    log.add(await measureMysqlInsert(services.db, { id: 'B2', rows: plan.mysqlRows, batchSize: config.batchSize }));
    log.add(await measureMysqlInsert(services.db, { id: `B2-${plan.largeBatchSize}`, rows: plan.mysqlRows, batchSize: plan.largeBatchSize }));
  });
  const preloaded = await log.stage('B1', `${formatInt(plan.drainMessages)} messages through amqplib (P3's preload)`, async () => {
    const queue = config.service.queueName;
    const id = `B1-w${plan.connections}`;
    log.add(await measureAmqpPublish(services.channel, queue, { id, count: plan.narrowWindowMessages, window: plan.connections }));
    await services.channel.purgeQueue(queue);
    log.add(await measureAmqpPublish(services.channel, queue, { count: plan.drainMessages, window: plan.publishWindow }));
    return true;
  });
  await log.stage('B0', 'serverless offline with a trivial handler', async () => {
    log.add(await measureTrivialOffline({ root, logFile: logFile('b0'), args: offlineArgs, nodeArgs }));
  });
  return preloaded === true;
};
