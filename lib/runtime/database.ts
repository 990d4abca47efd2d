import { getConfig } from '../config.js';
import { createDrizzleReader } from '../db/activity-reader.js';
import { createDrizzleStore } from '../db/activity-store.js';
import { createDatabase, type Database } from '../db/client.js';
import { createDrizzleDebuggerReader } from '../db/debugger-reader.js';
import { createDrizzleStatsReader } from '../db/stats-reader.js';
import type { ActivityReader, ActivityStore, DebuggerReader, StatsReader } from '../ports.js';
import { onClose } from './connections.js';

/** The process's database pool, made on first use and kept across invocations, as broker.ts keeps its connection. */
let database: Database | undefined;

export const getDatabase = (): Database => {
  if (!database) {
    const opened = createDatabase(getConfig());
    database = opened;
    onClose(async () => {
      database = undefined;
      await opened.pool.end();
    });
  }
  return database;
};

export const getActivityStore = (): ActivityStore => createDrizzleStore(getDatabase().db);

export const getActivityReader = (): ActivityReader => createDrizzleReader(getDatabase().db);

export const getDebuggerReader = (): DebuggerReader => createDrizzleDebuggerReader(getDatabase().db);

export const getStatsReader = (): StatsReader => createDrizzleStatsReader(getDatabase().db);
