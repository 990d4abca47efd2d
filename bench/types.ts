import type { Config } from '../lib/config.js';
import type { Broker, Database } from '../tools/services.js';
import type { RunLog } from './run-log.js';

/** What every scenario gets: the run's own queue and database, where to record figures, how to start a server. */
export interface Bench {
  config: Config;
  broker: Broker;
  database: Database;
  log: RunLog;
  /** The working-tree copy the servers run from, and where a server's output goes. */
  root: string;
  logFile(name: string): string;
  /** Extra `serverless offline start` flags and Node flags, for B0 and the service alike. */
  offlineArgs: string[];
  nodeArgs: string[];
}

/** One figure of the benchmark, before it is compared with its baseline and target. */
export interface Measurement {
  id: string;
  what: string;
  /** The number the target is checked against, in `unit`; null when it could not be measured. */
  value: number | null;
  unit: string;
  /** How the figure reads in the table, e.g. "1,234 req/s (p50 9 ms, p99 31 ms)". */
  figure: string;
  /** Everything else measured on the way (counts, CPU shares, timings), kept in the JSON. */
  details: Record<string, unknown>;
}

export interface Verdict {
  baseline: string;
  /** The figure over each baseline, in order (null where one is missing). */
  ratios: Array<number | null>;
  target: string;
  /** null when there is no target or nothing was measured. */
  pass: boolean | null;
}

export type ResultRow = Measurement & Verdict;
