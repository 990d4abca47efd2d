import { afterAll, beforeAll } from 'vitest';
import { createDatabase } from '../../lib/db/client.js';
import { runConfig } from '../../tools/run-config.js';
import { Database } from '../../tools/services.js';

/**
 * A database of the describe block's own (`name` makes it unique per run): created and migrated before its tests,
 * its pool closed and the database dropped after them. `database` is the tooling's handle (rows, counts), set once
 * the block has begun.
 */
export const useTestDatabase = (name: string) => {
  const config = runConfig(name);
  const connection = createDatabase(config);
  const handle = { config, connection, database: undefined as unknown as Database };
  beforeAll(async () => {
    handle.database = await Database.create(config);
  });
  afterAll(async () => {
    await connection.pool.end();
    await handle.database?.drop();
  });
  return handle;
};
