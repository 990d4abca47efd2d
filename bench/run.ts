/**
 * `npm run bench`: measures the baselines (B0-B2) and the service (P1-P5) on this machine in one run, prints a
 * table with ratios and targets, and writes the same to bench/results/<timestamp>.json and latest.json.
 * BENCH_QUICK=1 runs a much smaller plan; BENCH_CPU_PROF=1 writes V8 CPU profiles of both serverless offline
 * processes (B0's and the service's) to bench/results/profiles/; BENCH_OFFLINE_ARGS (e.g. "--noTimeout") adds
 * `serverless offline start` flags to both B0 and the service, to try a setting.
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { measureBaselines } from './baselines/measure-baselines.js';
import { disturbanceNote, runNotes } from './notes.js';
import { plan } from './plan.js';
import { measureProject } from './project/measure-project.js';
import { renderTable, writeReport } from './report.js';
import { RunLog } from './run-log.js';
import { offlineNodeArgs } from '../lib/config.js';
import { benchConfig } from './support/bench-config.js';
import { describeMachine } from './support/machine.js';
import { killRunningServers, type OfflineServer } from './support/offline-server.js';
import { progress } from './support/progress.js';
import { pruneOldFiles } from './support/prune.js';
import { openServices, removeRunData, type BenchServices } from './support/services.js';
import { snapshotWorkingTree, type Snapshot } from './support/snapshot.js';
import { judge } from './targets.js';

const RESULTS = resolve('bench/results');
const startedAt = new Date().toISOString();
const stamp = startedAt.replace(/[:.]/g, '-');
const logFile = (name: string) => resolve(RESULTS, 'logs', `${stamp}-${name}.log`);
const profileDir = process.env.BENCH_CPU_PROF === '1' ? resolve(RESULTS, 'profiles', stamp) : undefined;
const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const offlineArgs = (process.env.BENCH_OFFLINE_ARGS ?? '').split(/\s+/).filter(Boolean);
const ORDER = ['B0', 'B1', `B1-w${plan.connections}`, 'B2', `B2-${plan.largeBatchSize}`, 'P1', 'P2', 'P3', 'P4', 'P5'];

const config = benchConfig();
// Both servers (B0 and the service) run with the Node flags `npm start` gives the service.
const nodeArgs = [...offlineNodeArgs(config.service), ...profileArgs];
const log = new RunLog();
const notes = runNotes(offlineArgs, nodeArgs);
let machine: Record<string, unknown> = {};
let services: BenchServices | undefined;
let snapshot: Snapshot | undefined;
let server: OfflineServer | undefined;

const measureAll = async (): Promise<void> => {
  services = await openServices(config);
  snapshot = snapshotWorkingTree();
  machine = await describeMachine(services);
  progress(`machine: ${JSON.stringify(machine)}`);
  progress(`run: queue ${config.service.queueName}, database ${config.service.databaseName}, service copy ${snapshot.dir}`);
  notes.forEach((note) => progress(`note: ${note}`));
  const context = { config, services, root: snapshot.dir, logFile, offlineArgs, nodeArgs };
  const preloaded = await measureBaselines(log, context);
  await measureProject(log, { ...context, preloaded, onServer: (started) => (server = started) });
};

const removeEverything = async (): Promise<void> => {
  await server?.stop();
  await killRunningServers();
  await services?.close();
  snapshot?.remove();
  const problems = await removeRunData(config);
  progress(problems.length ? `cleanup: ${problems.join('; ')}` : 'cleanup: run queue and database removed');
  // Each run's output is some 10 MB: keep the last five runs' only.
  pruneOldFiles(resolve(RESULTS, 'logs'), 10);
  progress(`serverless offline output: ${resolve(RESULTS, 'logs')}/${stamp}-*.log`);
  if (profileDir) progress(`CPU profile: ${profileDir}`);
};

// Once only, whether the run ends, fails or is interrupted (or all three).
let cleaning: Promise<void> | undefined;
const cleanUp = (): Promise<void> => (cleaning ??= removeEverything());

process.once('SIGINT', () => {
  progress('interrupted: cleaning up');
  void cleanUp().finally(() => process.exit(130));
});

try {
  await measureAll();
} catch (error) {
  log.fail('setup', error);
} finally {
  await cleanUp();
}

const disturbance = disturbanceNote(log.measurements);
if (disturbance) notes.push(disturbance);
const rows = judge([...log.measurements].sort((a, b) => ORDER.indexOf(a.id) - ORDER.indexOf(b.id)));
console.log(`\n${renderTable(rows)}\n`);
notes.forEach((note) => console.log(`* ${note}`));
const path = writeReport({ startedAt, finishedAt: new Date().toISOString(), machine, notes, rows, errors: log.errors }, RESULTS);
console.log(`\nResults: ${path} (also ${resolve(RESULTS, 'latest.json')})`);
process.exitCode = log.errors.length > 0 ? 1 : 0;
