// Owns PostgreSQL migration 8, the counterpart of SQLite migration 7: a step remembers the line of the marker that closed it.
import type { PostgresMigration } from '../postgres-migration.js';

/** Adds steps.close_line (NULL: no printed marker closed the step). */
export const pgMigration008StepCloseLine: PostgresMigration = {
  version: 8,
  name: 'step-close-line',
  statements: ['ALTER TABLE steps ADD COLUMN close_line INTEGER'],
};
