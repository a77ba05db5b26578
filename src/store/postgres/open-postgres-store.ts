// Owns opening the PostgreSQL store: the pool, a first connection, migrations, and start-up errors that name the database safely.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ClusterCoordinator } from '../cluster-coordinator.js';
import type { Store } from '../store.js';
import { applyPostgresMigrations } from './apply-postgres-migrations.js';
import { PostgresCluster } from './postgres-cluster.js';
import { PostgresStore } from './postgres-store.js';
import type { PgTables } from './postgres-tables.js';
import { redactDatabaseUrl } from '../../core/redact-database-url.js';

/** Settings the PostgreSQL store needs from Config. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (libpq URL; query parameters such as sslmode pass through). */
  url: string;
  /** Most connections this server's pool opens. */
  poolSize: number;
  /** Called with errors of idle pooled connections (a restarted server, a dropped network); the pool replaces them. */
  onIdleError?: ((error: Error) => void) | undefined;
}

const INT8_OID = 20;

/** BIGINT columns and COUNT(*) arrive as numbers: every StepFlow id, time and count is below 2^53. */
function parseInt8(text: string): number {
  return Number(text);
}

/** Opens a pool to the database, checks it answers and migrates it; errors name the URL without its password. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const { db, pool } = await openMigratedPool(options);
  return new PostgresStore(db, pool, options.poolSize, options.url);
}

/** The store plus the coordination of the servers sharing the database (`serverName` must be unique among them). */
export async function openPostgresCluster(
  options: PostgresStoreOptions & { serverName: string },
): Promise<{ store: Store; cluster: ClusterCoordinator }> {
  const { db, pool } = await openMigratedPool(options);
  const onError = (error: Error): void => options.onIdleError?.(error);
  return {
    store: new PostgresStore(db, pool, options.poolSize, options.url),
    cluster: new PostgresCluster(pool, options.url, options.serverName, onError),
  };
}

/**
 * Opens a read replica of the database (STEPFLOW_DATABASE_READ_URL): a pool that must answer, never migrated (the
 * primary's migrations reach it by replication). Only its reads are used.
 */
export async function openPostgresReplica(options: PostgresStoreOptions): Promise<Store> {
  const pool = await connectPool(options, 'read replica', 'STEPFLOW_DATABASE_READ_URL / --database-read-url');
  const db = new Kysely<PgTables>({ dialect: new PostgresDialect({ pool }) });
  return new PostgresStore(db, pool, options.poolSize, options.url);
}

/** A pool whose first connection answered; otherwise a start-up error naming the URL (without its password) and its setting. */
async function connectPool(options: PostgresStoreOptions, what: string, setting: string): Promise<pg.Pool> {
  const pool = createPool(options);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `cannot connect to the PostgreSQL ${what} ${redactDatabaseUrl(options.url)} (${setting}): ${describe(error)}`,
      { cause: error },
    );
  }
}

function createPool(options: PostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  // A connection that breaks while checked out (a Kysely query or transaction in flight) emits 'error' besides failing
  // its queries; the pool listens only while it is idle, and an unheard 'error' event would end the process.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

async function openMigratedPool(options: PostgresStoreOptions): Promise<{ db: Kysely<PgTables>; pool: pg.Pool }> {
  const where = redactDatabaseUrl(options.url);
  const pool = await connectPool(options, 'database', 'STEPFLOW_DATABASE_URL / --database-url');
  try {
    await applyPostgresMigrations(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(`cannot migrate the PostgreSQL database ${where}: ${describe(error)}`, { cause: error });
  }
  return { db: new Kysely<PgTables>({ dialect: new PostgresDialect({ pool }) }), pool };
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(describe).join('; ');
  return error instanceof Error ? error.message : String(error);
}
