// Owns choosing the store at start: PostgreSQL when a database URL is configured, else SQLite under the storage directory.
import { mkdirSync } from 'node:fs';
import type { pino } from 'pino';
import type { Config } from './config/config.js';
import { redactDatabaseUrl } from './core/redact-database-url.js';
import type { Store } from './store/store.js';
import { openPostgresStore } from './store/postgres/open-postgres-store.js';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.js';

/** Opens (and migrates) the configured store; a PostgreSQL that cannot be reached stops the start with an error naming it. */
export async function composeStore(config: Config, logger: pino.Logger): Promise<Store> {
  if (config.databaseUrl === null) {
    return openSqliteStore({ storagePath: config.storagePath, cacheSizeKib: config.cacheSizeKib, walAutocheckpoint: config.walAutocheckpoint });
  }
  // Artifacts and the storage reserve still live in the storage directory, which SQLite's open would have created.
  mkdirSync(config.storagePath, { recursive: true });
  const database = redactDatabaseUrl(config.databaseUrl);
  const store = await openPostgresStore({
    url: config.databaseUrl,
    poolSize: config.databasePool,
    onIdleError: (error) => logger.error({ err: error, database }, 'a pooled PostgreSQL connection failed; the pool will open a new one'),
  });
  logger.info({ database, pool: config.databasePool }, 'using PostgreSQL');
  return store;
}
