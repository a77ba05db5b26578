// Owns migration 5: compressed, line-addressed log chunks beside log_lines, which becomes each log's live tail.
import type { SqliteMigration } from '../sqlite-migration.js';

const STATEMENTS = [
  `CREATE TABLE log_chunks (
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    step_index INTEGER,
    stdout_lines INTEGER NOT NULL,
    stderr_lines INTEGER NOT NULL,
    system_lines INTEGER NOT NULL,
    text_chars INTEGER NOT NULL,
    codec INTEGER NOT NULL,
    data BLOB NOT NULL
  )`,
  'CREATE UNIQUE INDEX log_chunks_range ON log_chunks (execution_id, last_line)',
  'CREATE INDEX log_chunks_step ON log_chunks (execution_id, step_index, last_line)',
  // The trigram filters apart from the payloads: a search reads a few filters per page instead of a payload's pages per chunk.
  `CREATE TABLE log_chunk_grams (
    execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    last_line INTEGER NOT NULL,
    grams BLOB NOT NULL
  )`,
  'CREATE UNIQUE INDEX log_chunk_grams_range ON log_chunk_grams (execution_id, last_line)',
];

/** Adds log_chunks and their filters; existing log_lines rows are sealed into chunks in the background after start. */
export const migration005LogChunks: SqliteMigration = {
  version: 5,
  name: 'log-chunks',
  up(db) {
    for (const statement of STATEMENTS) db.exec(statement);
  },
};
