// Owns migration 2: API keys, dashboard sessions and the audit trail.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  `CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    key_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  )`,
  // A name may be reused once the key that had it is revoked.
  'CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL',
  // Sessions name the key by hash, not id, so the STEPFLOW_API_KEY key (never stored) can start one too.
  `CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID`,
  'CREATE INDEX sessions_expires_at ON sessions (expires_at)',
  'CREATE INDEX sessions_key_hash ON sessions (key_hash)',
  // No foreign key to executions: the trail must outlive what it describes.
  `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    execution_id INTEGER,
    detail TEXT NOT NULL
  )`,
  'CREATE INDEX audit_log_actor ON audit_log (actor, id)',
  'CREATE INDEX audit_log_execution ON audit_log (execution_id, id)',
];

/** Adds the api_keys, sessions and audit_log tables. */
export const migration002Auth: SqliteMigration = {
  version: 2,
  name: 'auth',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
