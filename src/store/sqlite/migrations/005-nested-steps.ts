// Owns migration 5: nested steps (parent, depth, folded), step progress, and the marker dialects an execution reads.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  // parent_id names the step row this one is nested in; parent_idx keeps the engine's index for replays.
  'ALTER TABLE steps ADD COLUMN parent_id INTEGER REFERENCES steps (id) ON DELETE CASCADE',
  'ALTER TABLE steps ADD COLUMN parent_idx INTEGER',
  'ALTER TABLE steps ADD COLUMN depth INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE steps ADD COLUMN collapsed INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE steps ADD COLUMN progress REAL',
  'ALTER TABLE steps ADD COLUMN progress_message TEXT',
  // A JSON array of dialect names; NULL for executions stored before dialects existed (they read StepFlow markers).
  'ALTER TABLE executions ADD COLUMN markers TEXT',
];

/** Adds nested-step, step-progress and marker-dialect columns. */
export const migration005NestedSteps: SqliteMigration = {
  version: 5,
  name: 'nested-steps',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
