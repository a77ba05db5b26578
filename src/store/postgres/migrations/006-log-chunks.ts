// Owns PostgreSQL migration 6, the counterpart of SQLite migration 5: compressed log chunks and their trigram filters beside log_lines.
import type { PostgresMigration } from '../postgres-migration.js';

/** Adds log_chunks (the chunk format of src/store/log-chunks/, payload as bytea) and log_chunk_grams; log_lines becomes each log's live tail. */
export const pgMigration006LogChunks: PostgresMigration = {
  version: 6,
  name: 'log-chunks',
  statements: [
    `CREATE TABLE log_chunks (
      execution_id BIGINT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
      first_line BIGINT NOT NULL,
      last_line BIGINT NOT NULL,
      step_index INTEGER,
      stdout_lines INTEGER NOT NULL,
      stderr_lines INTEGER NOT NULL,
      system_lines INTEGER NOT NULL,
      text_chars BIGINT NOT NULL,
      codec SMALLINT NOT NULL,
      data BYTEA NOT NULL,
      PRIMARY KEY (execution_id, last_line)
    )`,
    'CREATE INDEX log_chunks_step ON log_chunks (execution_id, step_index, last_line)',
    // Filters apart from the payloads, so a search reads a few filter pages instead of a TOASTed payload per chunk.
    `CREATE TABLE log_chunk_grams (
      execution_id BIGINT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
      last_line BIGINT NOT NULL,
      grams BYTEA NOT NULL,
      PRIMARY KEY (execution_id, last_line)
    )`,
  ],
};
