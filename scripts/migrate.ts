import { getConfig } from '../lib/config.js';
import { migrateDatabase } from '../lib/db/migrate.js';

const config = getConfig();
await migrateDatabase(config);
console.log(`migrations applied to ${config.databaseName}`);
