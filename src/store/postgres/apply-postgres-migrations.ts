// Owns the PostgreSQL migration runner: numbered migrations applied under an advisory lock, so servers starting together apply each once.
import type { Pool, PoolClient } from 'pg';
import { pgMigration001Initial } from './migrations/001-initial.js';
import { pgMigration002Auth } from './migrations/002-auth.js';
import { pgMigration003Servers } from './migrations/003-servers.js';
import { pgMigration004StepCancelledHostFailedSteps } from './migrations/004-step-cancelled-host-failed-steps.js';
import { pgMigration005NestedSteps } from './migrations/005-nested-steps.js';
import { pgMigration006LogChunks } from './migrations/006-log-chunks.js';
import { pgMigration007Agents } from './migrations/007-agents.js';
import { pgMigration008StepCloseLine } from './migrations/008-step-close-line.js';
import { pgMigration009AgentRegistry } from './migrations/009-agent-registry.js';
import type { PostgresMigration } from './postgres-migration.js';

/** Every migration, in order; append new ones, never edit applied ones. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  pgMigration001Initial,
  pgMigration002Auth,
  pgMigration003Servers,
  pgMigration004StepCancelledHostFailedSteps,
  pgMigration005NestedSteps,
  pgMigration006LogChunks,
  pgMigration007Agents,
  pgMigration008StepCloseLine,
  pgMigration009AgentRegistry,
];

/** The advisory lock key every StepFlow server takes while migrating ("SF" "MI" as two 16-bit halves). */
const MIGRATION_LOCK_KEY = 0x5346_4d49;

/**
 * Applies the migrations newer than the database's; returns the versions applied.
 *
 * A session advisory lock serialises servers that start at once; each migration and its
 * `schema_migrations` row commit in one transaction (PostgreSQL DDL is transactional).
 */
export async function applyPostgresMigrations(
  pool: Pool,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyLocked(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyLocked(client: PoolClient, migrations: readonly PostgresMigration[]): Promise<number[]> {
  await client.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const current = Number(
    (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0,
  );
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new Error(`database schema version ${current} is newer than this StepFlow (${latest})`);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await client.query('BEGIN');
    try {
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}
