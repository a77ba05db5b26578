// Owns PostgreSQL migration 3: the servers table and the claim column of the shared execution queue.
import type { PostgresMigration } from '../postgres-migration.js';

/** Adds `servers` (one heartbeat row per live server) and `executions.claimed_by` (the server running or about to run it). */
export const pgMigration003Servers: PostgresMigration = {
  version: 3,
  name: 'servers',
  statements: [
    `CREATE TABLE servers (
      name TEXT PRIMARY KEY,
      started_at BIGINT NOT NULL,
      heartbeat_at BIGINT NOT NULL
    )`,
    'ALTER TABLE executions ADD COLUMN claimed_by TEXT',
    'CREATE INDEX executions_claimed_by ON executions (claimed_by, status) WHERE claimed_by IS NOT NULL',
    // The queue's claim reads unclaimed pending rows oldest first; this keeps it a short index scan however long the history.
    "CREATE INDEX executions_unclaimed ON executions (id) WHERE status = 'pending' AND claimed_by IS NULL",
  ],
};
