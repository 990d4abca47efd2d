import type { SecretVariable } from '../lib/config.js';

/**
 * What each function touches, the one table its role (deploy/roles.ts) and its environment (deploy/environment.ts)
 * are made from. A function missing here fails `serverless package`, so a new one cannot start with the broad role
 * osls would give it.
 */
export interface FunctionAccess {
  /** Publishes to or inspects the broker: gets RABBITMQ_URL. */
  broker: boolean;
  /** Reads or writes MySQL: gets DATABASE_URL. */
  database: boolean;
  /** Checks write keys: gets API_KEYS. */
  writeKeys: boolean;
  /**
   * Checks read keys: gets READ_API_KEYS, and API_KEYS too, since reads are closed rather than open when only
   * write keys are set (lib/http/access.ts).
   */
  readKeys: boolean;
  /** The regulations API: gets ADMIN_API_KEYS. */
  adminKeys: boolean;
  /** The Amazon MQ event source mappings' function: describes the broker and reads its credentials' secret. */
  mqSource: boolean;
}

const none: FunctionAccess = {
  broker: false,
  database: false,
  writeKeys: false,
  readKeys: false,
  adminKeys: false,
  mqSource: false,
};
const write = { ...none, broker: true, writeKeys: true };
const read = { ...none, database: true, readKeys: true };
const pipeline = { ...none, broker: true, database: true, readKeys: true };

export const FUNCTION_ACCESS: Record<string, FunctionAccess> = {
  // They read the suppression list (issue 19) and count the events a tracking plan refuses (issue 20).
  track: { ...write, database: true },
  batch: { ...write, database: true },
  // Keeps the calls it cannot store in failed_events.
  segment: { ...write, database: true },
  segmentSettings: { ...none, writeKeys: true },
  getEvent: read,
  listActivities: read,
  debuggerData: read,
  stats: pipeline,
  metrics: pipeline,
  health: { ...none, broker: true, database: true },
  liveness: none,
  openapi: none,
  debuggerPage: none,
  persist: { ...none, database: true, mqSource: true },
  // Issue 19: the regulations API, and the deletions it asks for, run on a schedule.
  createRegulation: { ...none, database: true, adminKeys: true },
  readRegulations: { ...none, database: true, adminKeys: true },
  eraseRegulated: { ...none, database: true },
};

/** Which functions are given each secret setting (every one lib/config.ts lets name an SSM parameter). */
export const SECRET_VARIABLES: Record<SecretVariable, (access: FunctionAccess) => boolean> = {
  RABBITMQ_URL: (access: FunctionAccess) => access.broker,
  DATABASE_URL: (access: FunctionAccess) => access.database,
  // The queue consumer's own way to the database, when one is set (lib/config.ts, persistDatabaseUrl).
  PERSIST_DATABASE_URL: (access: FunctionAccess) => access.mqSource,
  API_KEYS: (access: FunctionAccess) => access.writeKeys || access.readKeys,
  READ_API_KEYS: (access: FunctionAccess) => access.readKeys,
  ADMIN_API_KEYS: (access: FunctionAccess) => access.adminKeys,
  // Every function that hashes a subject (suppression, deletion, PII_HASH_KEYS) or checks a key: lib/config.ts
  // requires it once any key is set, so that no deployment hashes with the development key.
  PRIVACY_HASH_KEY: (access: FunctionAccess) =>
    access.database || access.writeKeys || access.readKeys || access.adminKeys,
};

export const accessOf = (name: string): FunctionAccess => {
  const access = FUNCTION_ACCESS[name];
  if (!access) {
    throw new Error(
      `Function ${name} has no entry in deploy/function-access.ts: say what it touches, so it gets a role of its own`,
    );
  }
  return access;
};
