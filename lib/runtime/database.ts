import { getConfig } from '../config.js';
import { createDrizzleReader } from '../db/activity-reader.js';
import { createDrizzleStore } from '../db/activity-store.js';
import { createDatabase, type Database } from '../db/client.js';
import { createDrizzleDebuggerReader } from '../db/debugger-reader.js';
import { createDrizzleErasureStore } from '../db/erasure-store.js';
import { createDrizzleRegulationStore } from '../db/regulation-store.js';
import { createDrizzleStatsReader } from '../db/stats-reader.js';
import { createDrizzleSuppressionSource } from '../db/suppression-source.js';
import type {
  ActivityReader,
  ActivityStore,
  DebuggerReader,
  ErasureStore,
  RegulationStore,
  StatsReader,
} from '../ports.js';
import { createSuppressionList, type SuppressionList } from '../privacy/suppression-list.js';
import { onClose } from './connections.js';

/**
 * The process's database pools, one per URL, each made on first use and kept across invocations, as broker.ts keeps
 * its connection. Without PERSIST_DATABASE_URL there is only ever one.
 */
const databases = new Map<string, Database>();
let suppressionList: SuppressionList | undefined;

const databaseAt = (url: string): Database => {
  let database = databases.get(url);
  if (!database) {
    const opened = createDatabase(getConfig(), url);
    databases.set(url, opened);
    onClose(async () => {
      databases.delete(url);
      suppressionList = undefined;
      await opened.pool.end();
    });
    database = opened;
  }
  return database;
};

export const getDatabase = (): Database => databaseAt(getConfig().databaseUrl);

export const getActivityStore = (): ActivityStore =>
  createDrizzleStore(getDatabase().db, { privacyHashKey: getConfig().privacyHashKey });

/** persist's store: through PERSIST_DATABASE_URL when it is set (the queue consumer's own way in), else the same pool. */
export const getPersistStore = (): ActivityStore =>
  createDrizzleStore(databaseAt(getConfig().persistDatabaseUrl).db, { privacyHashKey: getConfig().privacyHashKey });

/** The process's copy of the suppression list (issue 19), read from the database every few seconds. */
export const getSuppressionList = (): SuppressionList =>
  (suppressionList ??= createSuppressionList(
    createDrizzleSuppressionSource(getDatabase().db),
    getConfig().privacyHashKey,
  ));

export const getRegulationStore = (): RegulationStore => createDrizzleRegulationStore(getDatabase().db);

export const getErasureStore = (): ErasureStore =>
  createDrizzleErasureStore(getDatabase().db, getDatabase().pool, getConfig().privacyHashKey);

export const getActivityReader = (): ActivityReader => createDrizzleReader(getDatabase().db);

export const getDebuggerReader = (): DebuggerReader => createDrizzleDebuggerReader(getDatabase().db);

export const getStatsReader = (): StatsReader => createDrizzleStatsReader(getDatabase().db);
