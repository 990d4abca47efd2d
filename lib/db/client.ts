import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import { createPool, type Pool } from 'mysql2/promise';
import type { Config } from '../config.js';

export interface Database {
  db: MySql2Database;
  pool: Pool;
}

/**
 * A pool kept across invocations; `closeConnections` (lib/runtime/connections.ts) ends it. `uri` is DATABASE_URL
 * unless given (persist's PERSIST_DATABASE_URL).
 */
export const createDatabase = (config: Config, uri: string = config.databaseUrl): Database => {
  const pool = createPool({
    uri,
    connectionLimit: config.dbPoolSize,
    connectTimeout: 5000,
    enableKeepAlive: true,
    charset: 'utf8mb4',
    timezone: 'Z',
    // Affected rows count changed rows only: a duplicate left alone by ON DUPLICATE KEY UPDATE id = id counts 0.
    flags: ['-FOUND_ROWS'],
  });
  // TIMESTAMP columns (created_at) are read and defaulted in the session time zone: keep it UTC everywhere.
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return { db: drizzle(pool), pool };
};
