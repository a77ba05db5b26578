// Owns the typed row shapes every store shares, as Kysely sees them: the same columns in SQLite and PostgreSQL; `Flag` is
// how a boolean column is stored (0/1 in SQLite, boolean in PostgreSQL). Which migration added a column is in each
// store's migrations.
import type { Generated } from 'kysely';

/** A row of `executions`; JSON columns are TEXT, times are epoch ms. */
export interface ExecutionsRow {
  id: Generated<number>;
  name: string;
  /** JSON so a string command and an argv array round-trip. */
  command: string;
  /** The command as plain text (argv joined by spaces), what `q` searches. */
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
  failed_steps: number;
  host: string | null;
  /** JSON array of the labels an agent needs to run it. */
  runs_on: string;
  agent: string | null;
  /** JSON array of marker dialect names, or NULL for the server default. */
  markers: string | null;
  annotation_errors: number;
  annotation_warnings: number;
  annotation_notices: number;
  /** A cancel waiting for the agent holding the run (0/1 in SQLite, boolean in PostgreSQL); the agent stores read it. */
  cancel_requested: Generated<number | boolean>;
}

/** A row of `annotations`. */
export interface AnnotationsRow {
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

/** A row of `step_summaries`. */
export interface StepSummariesRow<Flag> {
  execution_id: number;
  step_idx: number;
  markdown: string;
  truncated: Flag;
}

/** One row per distinct tag of an execution, so the tag filter is an index lookup. */
export interface ExecutionTagsRow {
  execution_id: number;
  tag: string;
}

/** A row of `steps`; `idx` is the step's index within its execution. */
export interface StepsRow<Flag> {
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
  stop_on_error: Flag;
  metadata: string;
  first_line: number | null;
  last_line: number | null;
  /** The id of the step row this one is nested in. */
  parent_id: number | null;
  parent_idx: number | null;
  depth: number;
  collapsed: Flag;
  progress: number | null;
  progress_message: string | null;
  /** The line of the marker that closed the step (SQLite migration 7, PostgreSQL migration 8). */
  close_line: number | null;
}

/** A row of `log_lines`; `stream` is a small integer code (see row-mappers). */
export interface LogLinesRow {
  execution_id: number;
  line: number;
  ts: number;
  stream: number;
  step_index: number | null;
  content: string;
}

/** A row of `log_chunks`: one sealed chunk (see store/log-chunks). */
export interface LogChunksRow {
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
export interface LogChunkGramsRow {
  execution_id: number;
  last_line: number;
  grams: Buffer;
}

/** A row of `artifacts`; `tags` is JSON text. */
export interface ArtifactsRow<Flag> {
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
  is_public: Flag;
  retention_days: number | null;
}

/** A row of `api_keys`; only the SHA-256 of the secret is kept. */
export interface ApiKeysRow {
  id: Generated<number>;
  name: string;
  role: string;
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** A row of `sessions`, keyed by the SHA-256 of the cookie token. */
export interface SessionsRow {
  token_hash: string;
  key_hash: string;
  created_at: number;
  expires_at: number;
}

/** A row of `audit_log`; `detail` is JSON. */
export interface AuditLogRow {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  execution_id: number | null;
  detail: string;
}

/** Every table both stores have, keyed by name, for the Kysely query builder; `Flag` as in the rows. */
export interface StoreTables<Flag> {
  executions: ExecutionsRow;
  execution_tags: ExecutionTagsRow;
  steps: StepsRow<Flag>;
  log_lines: LogLinesRow;
  log_chunks: LogChunksRow;
  log_chunk_grams: LogChunkGramsRow;
  artifacts: ArtifactsRow<Flag>;
  api_keys: ApiKeysRow;
  sessions: SessionsRow;
  audit_log: AuditLogRow;
  annotations: AnnotationsRow;
  step_summaries: StepSummariesRow<Flag>;
}
