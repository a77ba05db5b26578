// Owns migration 1: the initial tables and indexes for executions, tags, steps, log lines and artifacts.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  `CREATE TABLE executions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    command TEXT NOT NULL,
    command_text TEXT NOT NULL,
    working_directory TEXT NOT NULL,
    environment TEXT NOT NULL,
    tags TEXT NOT NULL,
    metadata TEXT NOT NULL,
    user TEXT,
    timeout_seconds REAL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    exit_code INTEGER,
    error_message TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    completed_at INTEGER,
    total_steps INTEGER NOT NULL DEFAULT 0,
    completed_steps INTEGER NOT NULL DEFAULT 0,
    current_step_index INTEGER,
    pid INTEGER
  )`,
  'CREATE INDEX executions_created_at ON executions (created_at, id)',
  'CREATE INDEX executions_status ON executions (status, id)',
  'CREATE INDEX executions_user ON executions (user, id)',
  `CREATE TABLE execution_tags (
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (execution_id, tag)
  ) WITHOUT ROWID`,
  'CREATE INDEX execution_tags_tag ON execution_tags (tag, execution_id)',
  `CREATE TABLE steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped')),
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
  )`,
  // stream: 0 stdout, 1 stderr, 2 system — an integer keeps each of millions of rows small.
  `CREATE TABLE log_lines (
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    step_index INTEGER,
    content TEXT NOT NULL,
    PRIMARY KEY (execution_id, line)
  ) WITHOUT ROWID`,
  // Partial: only lines outside steps get an entry, so `step_index: null` reads stay range reads
  // while stepped lines (the bulk) pay nothing extra on insert.
  'CREATE INDEX log_lines_outside_steps ON log_lines (execution_id, line) WHERE step_index IS NULL',
  `CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    step_id INTEGER REFERENCES steps (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    file_path TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    artifact_type TEXT NOT NULL CHECK (artifact_type IN ('document', 'image', 'data', 'log', 'archive', 'other')),
    created_at INTEGER NOT NULL,
    tags TEXT NOT NULL,
    is_public INTEGER NOT NULL CHECK (is_public IN (0, 1)),
    retention_days INTEGER
  )`,
  'CREATE INDEX artifacts_execution ON artifacts (execution_id, id)',
  'CREATE INDEX artifacts_step ON artifacts (step_id)',
];

/** Creates the initial schema. */
export const migration001Initial: SqliteMigration = {
  version: 1,
  name: 'initial',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
