// Owns migration 3: the `cancelled` step status (a rebuild of steps), and executions' failed_steps and host columns.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration.js';

// The steps table of migration 1 with `cancelled` added to its CHECK; SQLite cannot alter a CHECK in place.
const NEW_STEPS = `CREATE TABLE steps_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'skipped')),
  exit_code INTEGER,
  error_message TEXT,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  estimated_duration REAL,
  stop_on_error INTEGER NOT NULL CHECK (stop_on_error IN (0, 1)),
  metadata TEXT NOT NULL,
  first_line INTEGER,
  last_line INTEGER,
  UNIQUE (execution_id, idx)
)`;

const STEP_COLUMNS =
  'id, execution_id, idx, name, description, status, exit_code, error_message, created_at, started_at, completed_at, estimated_duration, stop_on_error, metadata, first_line, last_line';

/**
 * Rebuilds `steps` keeping every row, its id and the AUTOINCREMENT high-water mark. With foreign keys on,
 * DROP TABLE deletes the rows first, which sets artifacts.step_id to NULL: the links are saved and put back.
 */
function rebuildSteps(db: BetterSqlite3.Database): void {
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'steps'").pluck().get() as
    number | undefined;
  db.exec(NEW_STEPS);
  db.exec(`INSERT INTO steps_new (${STEP_COLUMNS}) SELECT ${STEP_COLUMNS} FROM steps`);
  db.exec('CREATE TEMP TABLE artifact_step_links AS SELECT id, step_id FROM artifacts WHERE step_id IS NOT NULL');
  db.exec('DROP TABLE steps');
  db.exec('ALTER TABLE steps_new RENAME TO steps');
  db.exec(
    'UPDATE artifacts SET step_id = (SELECT step_id FROM artifact_step_links l WHERE l.id = artifacts.id) WHERE id IN (SELECT id FROM artifact_step_links)',
  );
  db.exec('DROP TABLE artifact_step_links');
  if (sequence !== undefined)
    db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'steps'").run(sequence);
}

const EXECUTION_STATEMENTS = [
  'ALTER TABLE executions ADD COLUMN failed_steps INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE executions ADD COLUMN host TEXT',
  // Before this status existed, the step a cancel interrupted was stored failed with the message "cancelled".
  `UPDATE steps SET status = 'cancelled'
    WHERE status = 'failed' AND error_message = 'cancelled' AND execution_id IN (SELECT id FROM executions WHERE status = 'cancelled')`,
  `UPDATE executions SET failed_steps = (SELECT COUNT(*) FROM steps WHERE steps.execution_id = executions.id AND steps.status = 'failed')
    WHERE id IN (SELECT execution_id FROM steps WHERE status = 'failed')`,
];

/** Allows `cancelled` steps and adds executions.failed_steps (counted from the stored steps) and executions.host. */
export const migration003StepCancelledHostFailedSteps: SqliteMigration = {
  version: 3,
  name: 'step-cancelled-host-failed-steps',
  up(db) {
    rebuildSteps(db);
    for (const statement of EXECUTION_STATEMENTS) db.exec(statement);
  },
};
