// Owns PostgreSQL migration 9, the counterpart of SQLite migration 8: agent registrations and sessions in the database, cancel requests recorded.
import type { PostgresMigration } from '../postgres-migration.js';

/** Adds the agents table and executions.cancel_requested. */
export const pgMigration009AgentRegistry: PostgresMigration = {
  version: 9,
  name: 'agent-registry',
  statements: [
    `CREATE TABLE agents (
      name TEXT PRIMARY KEY,
      labels TEXT NOT NULL,
      version TEXT NOT NULL,
      address TEXT NOT NULL,
      concurrency INTEGER NOT NULL,
      key_name TEXT NOT NULL,
      session_hash TEXT UNIQUE,
      last_seen BIGINT NOT NULL,
      lost BOOLEAN NOT NULL DEFAULT false
    )`,
    // Set by a cancel of an execution an agent holds; the agent hears it on its next heartbeat, through any server.
    'ALTER TABLE executions ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT false',
    'CREATE INDEX executions_agent ON executions (agent, status) WHERE agent IS NOT NULL',
    // The agents' claim reads pending rows no agent holds, oldest first.
    "CREATE INDEX executions_agent_queue ON executions (id) WHERE status = 'pending' AND agent IS NULL",
  ],
};
