// Owns migration 8: agent registrations and sessions move into the database, and cancel requests for agents' runs are recorded.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  `CREATE TABLE agents (
    name TEXT PRIMARY KEY,
    labels TEXT NOT NULL,
    version TEXT NOT NULL,
    address TEXT NOT NULL,
    concurrency INTEGER NOT NULL,
    key_name TEXT NOT NULL,
    session_hash TEXT UNIQUE,
    last_seen INTEGER NOT NULL,
    lost INTEGER NOT NULL DEFAULT 0
  )`,
  // Set by a cancel of an execution an agent holds; the agent hears it on its next heartbeat, on any server.
  'ALTER TABLE executions ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0',
  'CREATE INDEX executions_agent ON executions (agent, status) WHERE agent IS NOT NULL',
];

/** Adds the agents table and executions.cancel_requested. */
export const migration008AgentRegistry: SqliteMigration = {
  version: 8,
  name: 'agent-registry',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
