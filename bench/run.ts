/**
 * `npm run bench`: measures the baselines (B0-B2) and the service (P1-P5) on this machine in one run, prints a
 * table with ratios and targets, and writes the same to bench/results/<timestamp>.json and latest.json.
 * docs/performance.md says what each line measures and which settings (BENCH_*) the run reads.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { offlineNodeArgs, toolSettings } from '../tools/env.js';
import { killRunningServers, type OfflineProcess } from '../tools/offline.js';
import { runConfig } from '../tools/run-config.js';
import { Broker, Database, removeRunData } from '../tools/services.js';
import { plan } from './plan.js';
import { disturbanceNote, renderTable, writeReport } from './report.js';
import { progress, RunLog } from './run-log.js';
import { B0_SERVICE } from './scenarios/b0-offline-trivial.js';
import { measureAll } from './sequence.js';
import { describeMachine } from './support/machine.js';
import { withShards } from './support/shards.js';
import { type Snapshot, snapshotWorkingTree } from './support/snapshot.js';
import { judge } from './targets.js';

const RESULTS = resolve('bench/results');
const LOGS = resolve(RESULTS, 'logs');
const startedAt = new Date().toISOString();
const stamp = startedAt.replace(/[:.]/g, '-');
const { cpuProfile, offlineArgs } = toolSettings().bench;
const profileDir = cpuProfile ? resolve(RESULTS, 'profiles', stamp) : undefined;
// Every server (B0 and the service at each N) gets the Node flags `npm start` gives the service, and these.
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

const config = runConfig('bench');
const log = new RunLog();
const notes = [
  `How to read the figures: docs/performance.md. Node flags of every server: ${[...offlineNodeArgs(), ...nodeArgs].join(' ')}.`,
  ...(plan.quick ? ['BENCH_QUICK=1: a reduced plan, not comparable with full runs.'] : []),
  ...(offlineArgs.length ? [`serverless offline started with ${offlineArgs.join(' ')} (BENCH_OFFLINE_ARGS).`] : []),
];
let machine: Record<string, unknown> = {};
let [broker, database, snapshot, server]: [Broker?, Database?, Snapshot?, OfflineProcess?] = [];

const measure = async (): Promise<void> => {
  database = await Database.create(config);
  broker = await Broker.open(config, 'bench');
  await broker.declare(config);
  snapshot = snapshotWorkingTree([B0_SERVICE]);
  machine = await describeMachine(broker, database);
  progress(`machine: ${JSON.stringify(machine)}`);
  progress(`run: queue ${config.queueName}, database ${config.databaseName}, service copy ${snapshot.dir}`);
  for (const note of notes) progress(`note: ${note}`);
  const logFile = (name: string) => join(LOGS, `${stamp}-${name}.log`);
  const bench = { config, broker, database, log, root: snapshot.dir, logFile, offlineArgs, nodeArgs };
  await measureAll(bench, (started) => {
    server = started;
  });
};

const removeEverything = async (): Promise<void> => {
  await server?.stop();
  await killRunningServers();
  await broker?.close();
  await database?.close();
  snapshot?.remove();
  const problems = await removeRunData(withShards(config, Math.max(...plan.shardCounts)));
  progress(problems.length ? `cleanup: ${problems.join('; ')}` : 'cleanup: run queue and database removed');
  // Each run's output is some 10 MB (four files: B0 and the service at N = 1, 2, 4): keep the last five runs' only.
  const old = existsSync(LOGS) ? readdirSync(LOGS).sort().slice(0, -20) : [];
  for (const name of old) rmSync(join(LOGS, name), { force: true });
  progress(`serverless offline output: ${LOGS}/${stamp}-*.log`);
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
  await measure();
} catch (error) {
  log.fail('setup', error);
} finally {
  await cleanUp();
}

notes.push(...disturbanceNote(log.measurements));
// The ids sort as the table reads: B0, B1, B1-w20, B2, B2-1000, B3, M-soak, then P1, P1-drain, P1-N4, P2, P2-browser, P2-seg, P3, P3-N2, P3-N4, P4, P5.
const rows = judge([...log.measurements].sort((a, b) => a.id.localeCompare(b.id)));
console.log(`\n${renderTable(rows)}\n`);
for (const note of notes) console.log(`* ${note}`);
const report = { startedAt, finishedAt: new Date().toISOString(), machine, notes, rows, errors: log.errors };
console.log(`\nResults: ${writeReport(report, RESULTS)} (also ${resolve(RESULTS, 'latest.json')})`);
process.exitCode = log.errors.length > 0 ? 1 : 0;
