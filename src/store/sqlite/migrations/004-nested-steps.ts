// Owns migration 4: nested steps (parent, depth, folded), step progress, the marker dialects an execution reads, annotations and step summaries.
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
  // Counts of every annotation reported, kept or not: the list shows "N more" past the kept bound, never a silent cap.
  'ALTER TABLE executions ADD COLUMN annotation_errors INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE executions ADD COLUMN annotation_warnings INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE executions ADD COLUMN annotation_notices INTEGER NOT NULL DEFAULT 0',
  `CREATE TABLE annotations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step_idx INTEGER,
    log_line INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('error', 'warning', 'notice')),
    message TEXT NOT NULL,
    file TEXT,
    line INTEGER,
    col INTEGER,
    end_line INTEGER,
    end_col INTEGER,
    title TEXT,
    created_at INTEGER NOT NULL
  )`,
  'CREATE INDEX annotations_execution ON annotations (execution_id, id)',
  // One Markdown summary per step (SUMMARY:path, $GITHUB_STEP_SUMMARY), up to 1 MiB, read when the step ends.
  `CREATE TABLE step_summaries (
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step_idx INTEGER NOT NULL,
    markdown TEXT NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (execution_id, step_idx)
  ) WITHOUT ROWID`,
];

/** Adds nested-step, step-progress and marker-dialect columns, and the annotation and step-summary tables. */
export const migration004NestedSteps: SqliteMigration = {
  version: 4,
  name: 'nested-steps',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
