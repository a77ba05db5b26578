// Owns the typed row shapes of every PostgreSQL table, as Kysely sees them (int8 columns arrive as numbers).
import type { Generated } from 'kysely';

/** A row of `executions`; JSON columns are TEXT (kept byte for byte), times are epoch ms. */
export interface PgExecutionsTable {
  id: Generated<number>;
  name: string;
  command: string;
  command_text: string;
  working_directory: string;
  environment: string;
  tags: string;
  metadata: string;
  user: string | null;
  timeout_seconds: number | null;
  status: string;
  exit_code: number | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  total_steps: number;
  completed_steps: number;
  current_step_index: number | null;
  pid: number | null;
  /** Added by migration 4. */
  failed_steps: number;
  /** Added by migration 4. */
  host: string | null;
  /** Added by migration 7: JSON array of the labels an agent needs to run it. */
  runs_on: string;
  /** Added by migration 7: the agent that holds (or ran) it. */
  agent: string | null;
  /** JSON array of marker dialect names, or NULL for the server default (migration 5). */
  markers: string | null;
  annotation_errors: number;
  annotation_warnings: number;
  annotation_notices: number;
}

/** A row of `annotations` (migration 5). */
export interface PgAnnotationsTable {
  id: Generated<number>;
  execution_id: number;
  step_idx: number | null;
  log_line: number;
  level: string;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  end_line: number | null;
  end_col: number | null;
  title: string | null;
  created_at: number;
}

/** A row of `step_summaries` (migration 5). */
export interface PgStepSummariesTable {
  execution_id: number;
  step_idx: number;
  markdown: string;
  truncated: boolean;
}

/** One row per distinct tag of an execution. */
export interface PgExecutionTagsTable {
  execution_id: number;
  tag: string;
}

/** A row of `steps`; `idx` is the step's index within its execution. */
export interface PgStepsTable {
  id: Generated<number>;
  execution_id: number;
  idx: number;
  name: string;
  description: string | null;
  status: string;
  exit_code: number | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  estimated_duration: number | null;
  stop_on_error: boolean;
  metadata: string;
  first_line: number | null;
  last_line: number | null;
  /** The id of the step row this one is nested in (migration 5). */
  parent_id: number | null;
  parent_idx: number | null;
  depth: number;
  collapsed: boolean;
  progress: number | null;
  progress_message: string | null;
  /** Migration 8. */
  close_line: number | null;
}

/** A row of `log_lines`; `stream` is a small integer code, `escaped` marks content stored JSON-encoded (it held NUL). */
export interface PgLogLinesTable {
  execution_id: number;
  line: number;
  ts: number;
  stream: number;
  step_index: number | null;
  content: string;
  escaped: boolean;
}

/** A row of `log_chunks`: one sealed chunk (src/store/log-chunks/), its metadata readable without its payload. */
export interface PgLogChunksTable {
  execution_id: number;
  first_line: number;
  last_line: number;
  step_index: number | null;
  stdout_lines: number;
  stderr_lines: number;
  system_lines: number;
  text_chars: number;
  codec: number;
  data: Buffer;
}

/** A row of `log_chunk_grams`: the trigram filter of the chunk ending at `last_line`. */
export interface PgLogChunkGramsTable {
  execution_id: number;
  last_line: number;
  grams: Buffer;
}

/** A row of `artifacts`; `tags` is JSON text. */
export interface PgArtifactsTable {
  id: Generated<number>;
  execution_id: number;
  step_id: number | null;
  name: string;
  description: string | null;
  file_path: string;
  file_name: string;
  file_size: number;
  mime_type: string;
  artifact_type: string;
  created_at: number;
  tags: string;
  is_public: boolean;
  retention_days: number | null;
}

/** A row of `api_keys`; only the SHA-256 of the secret is kept. */
export interface PgApiKeysTable {
  id: Generated<number>;
  name: string;
  role: string;
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** A row of `sessions`, keyed by the SHA-256 of the cookie token. */
export interface PgSessionsTable {
  token_hash: string;
  key_hash: string;
  created_at: number;
  expires_at: number;
}

/** A row of `audit_log`; `detail` is JSON text. */
export interface PgAuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  execution_id: number | null;
  detail: string;
}

/** The whole PostgreSQL schema, keyed by table name, for the Kysely query builder. */
export interface PgTables {
  executions: PgExecutionsTable;
  execution_tags: PgExecutionTagsTable;
  steps: PgStepsTable;
  log_lines: PgLogLinesTable;
  log_chunks: PgLogChunksTable;
  log_chunk_grams: PgLogChunkGramsTable;
  artifacts: PgArtifactsTable;
  api_keys: PgApiKeysTable;
  sessions: PgSessionsTable;
  audit_log: PgAuditLogTable;
  annotations: PgAnnotationsTable;
  step_summaries: PgStepSummariesTable;
}
