// Owns the schema migration runner: numbered migrations tracked by PRAGMA user_version.
import type BetterSqlite3 from 'better-sqlite3';
import { migration001Initial } from './migrations/001-initial.js';
import { migration002Auth } from './migrations/002-auth.js';
import { migration003StepCancelledHostFailedSteps } from './migrations/003-step-cancelled-host-failed-steps.js';
import { migration004NestedSteps } from './migrations/004-nested-steps.js';
import { migration005LogChunks } from './migrations/005-log-chunks.js';
import { migration006Agents } from './migrations/006-agents.js';
import { migration007StepCloseLine } from './migrations/007-step-close-line.js';
import { migration008AgentRegistry } from './migrations/008-agent-registry.js';
import type { SqliteMigration } from './sqlite-migration.js';

/** Every migration, in order; append new ones, never edit applied ones. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  migration001Initial,
  migration002Auth,
  migration003StepCancelledHostFailedSteps,
  migration004NestedSteps,
  migration005LogChunks,
  migration006Agents,
  migration007StepCloseLine,
  migration008AgentRegistry,
];

/**
 * Applies the migrations newer than the database's user_version; returns the versions applied.
 *
 * Each migration and its user_version bump commit in one transaction, so a crash leaves the
 * schema at a whole version (Kysely's Migrator runs SQLite migrations outside a transaction).
 */
export function applyMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this StepFlow (${latest})`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // IMMEDIATE takes the write lock first, and the re-read inside it means two processes
    // opening the same file cannot both apply a migration.
    const ran = db
      .transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return false;
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
