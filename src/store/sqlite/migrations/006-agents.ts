// Owns migration 6: executions ask for agent labels and record the agent holding them; API keys may carry the agent role.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  // JSON array of labels an agent must all have to run the execution; [] means any executor.
  "ALTER TABLE executions ADD COLUMN runs_on TEXT NOT NULL DEFAULT '[]'",
  // The agent that holds (or ran) the execution; NULL: this server ran it.
  'ALTER TABLE executions ADD COLUMN agent TEXT',
  // A CHECK constraint cannot be altered in SQLite: the keys table is rebuilt with the new role allowed.
  `CREATE TABLE api_keys_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'agent')),
    key_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  )`,
  'INSERT INTO api_keys_new (id, name, role, key_hash, created_at, revoked_at) SELECT id, name, role, key_hash, created_at, revoked_at FROM api_keys',
  'DROP TABLE api_keys',
  'ALTER TABLE api_keys_new RENAME TO api_keys',
  'CREATE UNIQUE INDEX api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL',
];

/** Adds executions.runs_on and executions.agent, and the `agent` role for API keys. */
export const migration006Agents: SqliteMigration = {
  version: 6,
  name: 'agents',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
