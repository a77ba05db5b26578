// Owns PostgreSQL migration 7, the counterpart of SQLite migration 6: executions ask for agent labels and record the agent holding them; API keys may carry the agent role.
import type { PostgresMigration } from '../postgres-migration.js';

/** Adds executions.runs_on and executions.agent, and the `agent` role for API keys. */
export const pgMigration007Agents: PostgresMigration = {
  version: 7,
  name: 'agents',
  statements: [
    // JSON array of labels an agent must all have to run the execution; [] means any executor.
    "ALTER TABLE executions ADD COLUMN runs_on TEXT NOT NULL DEFAULT '[]'",
    // The agent that holds (or ran) the execution; NULL: a server ran it.
    'ALTER TABLE executions ADD COLUMN agent TEXT',
    // PostgreSQL alters a CHECK in place (migration 2 let it take the default name).
    'ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check',
    "ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('viewer', 'operator', 'admin', 'agent'))",
  ],
};
