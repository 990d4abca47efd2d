import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/mysql2';
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { createConnection, createPool } from 'mysql2/promise';
import type { Config } from '../config.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

const createDatabaseIfMissing = async (config: Config): Promise<void> => {
  const server = new URL(config.databaseUrl);
  server.pathname = '/';
  const connection = await createConnection({ uri: server.href, connectTimeout: 5000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } catch (error) {
    // A user limited to its own database (MySQL image's MYSQL_USER) may not create databases; it already has one.
    if ((error as { code?: string }).code !== 'ER_DBACCESS_DENIED_ERROR') throw error;
  } finally {
    await connection.end();
  }
};

/** Creates the database if needed and applies the drizzle-kit migrations, one process at a time. */
export const migrateDatabase = async (config: Config): Promise<void> => {
  await createDatabaseIfMissing(config);
  // One connection, so the advisory lock and the migrations share a session.
  const pool = createPool({ uri: config.databaseUrl, connectionLimit: 1, connectTimeout: 5000 });
  try {
    await pool.query("SELECT GET_LOCK('user_activity_migrations', 60)");
    await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await pool.query("SELECT RELEASE_LOCK('user_activity_migrations')").catch(() => undefined);
    await pool.end();
  }
};
