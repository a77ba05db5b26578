// Owns choosing the store at start: PostgreSQL (with the coordination of servers sharing it) when a database URL is configured, else SQLite.
import { mkdirSync } from 'node:fs';
import type { pino } from 'pino';
import type { Config } from './config/config.js';
import { redactDatabaseUrl } from './core/redact-database-url.js';
import type { ClusterCoordinator } from './store/cluster-coordinator.js';
import type { Store } from './store/store.js';
import { openPostgresCluster, openPostgresReplica } from './store/postgres/open-postgres-store.js';
import { routeReadsToReplica } from './store/read-routed-store.js';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.js';

/**
 * Opens (and migrates) the configured store; a PostgreSQL that cannot be reached stops the start with an error naming
 * it. With a read replica, `replicaAllowed` says when a read may go to it.
 */
export async function composeStore(
  config: Config,
  logger: pino.Logger,
  replicaAllowed: () => boolean,
): Promise<{ store: Store; cluster: ClusterCoordinator | null }> {
  if (config.databaseReadUrl !== null && config.databaseUrl === null)
    throw new Error(
      'STEPFLOW_DATABASE_READ_URL / --database-read-url needs STEPFLOW_DATABASE_URL / --database-url: a read replica is of a PostgreSQL database',
    );
  if (config.databaseUrl === null) {
    const store = await openSqliteStore({
      storagePath: config.storagePath,
      cacheSizeKib: config.cacheSizeKib,
      walAutocheckpoint: config.walAutocheckpoint,
    });
    return { store, cluster: null };
  }
  // Artifacts and the storage reserve still live in the storage directory, which SQLite's open would have created.
  mkdirSync(config.storagePath, { recursive: true });
  const database = redactDatabaseUrl(config.databaseUrl);
  const opened = await openPostgresCluster({
    url: config.databaseUrl,
    poolSize: config.databasePool,
    serverName: config.serverName,
    onIdleError: (error) => logger.error({ err: error, database }, 'a PostgreSQL connection failed; it is replaced'),
  });
  logger.info({ database, pool: config.databasePool, server: config.serverName }, 'using PostgreSQL');
  if (config.databaseReadUrl === null) return opened;
  const replica = redactDatabaseUrl(config.databaseReadUrl);
  const reader = await openPostgresReplica({
    url: config.databaseReadUrl,
    poolSize: config.databasePool,
    onIdleError: (error) => logger.error({ err: error, replica }, 'a read replica connection failed; it is replaced'),
  }).catch(async (error: unknown) => {
    await opened.store.close();
    throw error;
  });
  logger.info({ replica }, 'lists, statistics, log pages and search read from the replica');
  return { store: routeReadsToReplica(opened.store, reader, replicaAllowed), cluster: opened.cluster };
}
