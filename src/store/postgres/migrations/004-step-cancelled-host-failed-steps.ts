// Owns PostgreSQL migration 4, the counterpart of SQLite migration 3: the `cancelled` step status, executions' failed_steps and host.
import type { PostgresMigration } from '../postgres-migration.js';

/** Allows `cancelled` steps and adds executions.failed_steps (counted from the stored steps) and executions.host. */
export const pgMigration004StepCancelledHostFailedSteps: PostgresMigration = {
  version: 4,
  name: 'step-cancelled-host-failed-steps',
  statements: [
    // PostgreSQL alters a CHECK in place (migration 1 let it take the default name).
    'ALTER TABLE steps DROP CONSTRAINT steps_status_check',
    "ALTER TABLE steps ADD CONSTRAINT steps_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'skipped'))",
    'ALTER TABLE executions ADD COLUMN failed_steps INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE executions ADD COLUMN host TEXT',
    // Before this status existed, the step a cancel interrupted was stored failed with the message "cancelled".
    `UPDATE steps SET status = 'cancelled'
      WHERE status = 'failed' AND error_message = 'cancelled' AND execution_id IN (SELECT id FROM executions WHERE status = 'cancelled')`,
    `UPDATE executions SET failed_steps = (SELECT COUNT(*) FROM steps WHERE steps.execution_id = executions.id AND steps.status = 'failed')
      WHERE id IN (SELECT execution_id FROM steps WHERE status = 'failed')`,
  ],
};
