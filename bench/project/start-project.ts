import { serviceEnv, type BenchConfig } from '../support/bench-config.js';
import { OfflineServer } from '../support/offline-server.js';

/**
 * The service's own `serverless offline start` (its serverless.yml, plugins and poller, from `root`) on the run's
 * queue and database. Ready when the poller consumes: from that moment it drains whatever is queued (P3).
 */
export const startProject = async (
  config: BenchConfig,
  { root, logFile, args, nodeArgs = [] }: { root: string; logFile: string; args: string[]; nodeArgs?: string[] },
): Promise<OfflineServer> => {
  const server = await OfflineServer.start({
    cwd: root,
    logFile,
    env: serviceEnv(config),
    ready: /polling queue/,
    args,
    nodeArgs,
  });
  await server.waitFor(/Server ready/, 60_000);
  return server;
};
