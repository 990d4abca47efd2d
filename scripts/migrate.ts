import { migrateDatabase } from '../lib/db/migrate.js';
import { serviceConfig } from '../tools/env.js';

const config = serviceConfig();
await migrateDatabase(config);
console.log(`migrations applied to ${config.databaseName}`);
