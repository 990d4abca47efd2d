import { serviceConfig } from '../tools/env.js';
import { migrateDatabase } from '../lib/db/migrate.js';

const config = serviceConfig();
await migrateDatabase(config);
console.log(`migrations applied to ${config.databaseName}`);
