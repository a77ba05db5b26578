// Owns migration 7: a step remembers the line of the marker that closed it, so viewers can hide that line.
import type { SqliteMigration } from '../sqlite-migration.js';

/** Adds steps.close_line (NULL: no printed marker closed the step). */
export const migration007StepCloseLine: SqliteMigration = {
  version: 7,
  name: 'step-close-line',
  up(db) {
    db.exec('ALTER TABLE steps ADD COLUMN close_line INTEGER');
  },
};
