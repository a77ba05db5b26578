// Owns the translation between store rows (JSON text, stream codes, flags) and domain records, for SQLite and PostgreSQL alike.
import type { Selectable } from 'kysely';
import type { ArtifactRecord, ArtifactType } from '../core/artifact.js';
import type { Command, ExecutionRecord, ExecutionStatus, NewExecution } from '../core/execution.js';
import type { LogLine, LogStream } from '../core/log-line.js';
import type { StepRecord, StepState, StepStatus } from '../core/step.js';
import type { ArtifactsRow, ExecutionsRow, LogLinesRow, StepsRow } from './table-rows.js';

/** How a store keeps a boolean column: 0/1 in SQLite, boolean in PostgreSQL. */
export interface FlagCodec<Flag> {
  write(value: boolean): Flag;
  read(stored: Flag): boolean;
}

/** A selected row whose flag columns `K` hold `Flag` (Kysely's Selectable cannot see through a generic column type). */
type FlaggedRow<Row, K extends string, Flag> = Omit<Selectable<Row>, K> & Record<K, Flag>;

const STREAMS: readonly LogStream[] = ['stdout', 'stderr', 'system'];

/** The integer stored for a log stream. */
export function encodeStream(stream: LogStream): number {
  const code = STREAMS.indexOf(stream);
  if (code < 0) throw new Error(`unknown log stream ${String(stream)}`);
  return code;
}

/** The log stream an integer code stands for. */
export function decodeStream(code: number): LogStream {
  const stream = STREAMS[code];
  if (stream === undefined) throw new Error(`unknown log stream code ${code}`);
  return stream;
}

/** The searchable text of a command: argv joined by spaces. */
export function commandText(command: Command): string {
  return typeof command === 'string' ? command : command.join(' ');
}

/** The columns of a new execution row (status pending, counters 0). */
export function toExecutionInsert(
  input: NewExecution,
  createdAt: number,
): Omit<ExecutionsRow, 'id' | 'cancel_requested'> {
  return {
    name: input.name,
    command: JSON.stringify(input.command),
    command_text: commandText(input.command),
    working_directory: input.working_directory,
    environment: JSON.stringify(input.environment),
    tags: JSON.stringify(input.tags),
    metadata: JSON.stringify(input.metadata),
    user: input.user,
    timeout_seconds: input.timeout_seconds,
    status: 'pending',
    exit_code: null,
    error_message: null,
    created_at: createdAt,
    started_at: null,
    completed_at: null,
    total_steps: 0,
    completed_steps: 0,
    current_step_index: null,
    pid: null,
    failed_steps: 0,
    host: null,
    runs_on: JSON.stringify(input.runs_on),
    agent: null,
    markers: input.markers === undefined || input.markers === null ? null : JSON.stringify(input.markers),
    annotation_errors: 0,
    annotation_warnings: 0,
    annotation_notices: 0,
  };
}

/** An execution record from its row. */
export function toExecutionRecord(row: Selectable<ExecutionsRow>): ExecutionRecord {
  return {
    id: row.id,
    name: row.name,
    command: JSON.parse(row.command) as Command,
    working_directory: row.working_directory,
    environment: JSON.parse(row.environment) as Record<string, string>,
    tags: JSON.parse(row.tags) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    user: row.user,
    timeout_seconds: row.timeout_seconds,
    markers: row.markers === null ? null : (JSON.parse(row.markers) as string[]),
    annotation_counts: {
      error: row.annotation_errors,
      warning: row.annotation_warnings,
      notice: row.annotation_notices,
    },
    status: row.status as ExecutionStatus,
    exit_code: row.exit_code,
    error_message: row.error_message,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    total_steps: row.total_steps,
    completed_steps: row.completed_steps,
    current_step_index: row.current_step_index,
    failed_steps: row.failed_steps,
    host: row.host,
    pid: row.pid,
    runs_on: JSON.parse(row.runs_on) as string[],
    agent: row.agent,
  };
}

/** The columns of a step row (without its id, and without parent_id, which the store resolves from parent_idx). */
export function stepToRow<Flag>(
  flags: FlagCodec<Flag>,
  executionId: number,
  step: StepState,
): Omit<StepsRow<Flag>, 'id' | 'parent_id'> {
  return {
    execution_id: executionId,
    idx: step.index,
    name: step.name,
    description: step.description,
    status: step.status,
    exit_code: step.exit_code,
    error_message: step.error_message,
    created_at: step.created_at,
    started_at: step.started_at,
    completed_at: step.completed_at,
    estimated_duration: step.estimated_duration,
    stop_on_error: flags.write(step.stop_on_error),
    metadata: JSON.stringify(step.metadata),
    first_line: step.first_line,
    last_line: step.last_line,
    parent_idx: step.parent_index,
    depth: step.depth,
    collapsed: flags.write(step.collapsed),
    progress: step.progress,
    progress_message: step.progress_message,
    close_line: step.close_line,
  };
}

/** A step record from its row. */
export function rowToStep<Flag>(
  flags: FlagCodec<Flag>,
  row: FlaggedRow<StepsRow<unknown>, 'stop_on_error' | 'collapsed', Flag>,
): StepRecord {
  return {
    id: row.id,
    execution_id: row.execution_id,
    index: row.idx,
    name: row.name,
    description: row.description,
    status: row.status as StepStatus,
    exit_code: row.exit_code,
    error_message: row.error_message,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    estimated_duration: row.estimated_duration,
    stop_on_error: flags.read(row.stop_on_error),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    first_line: row.first_line,
    last_line: row.last_line,
    parent_index: row.parent_idx,
    parent_id: row.parent_id,
    depth: row.depth,
    collapsed: flags.read(row.collapsed),
    progress: row.progress,
    progress_message: row.progress_message,
    close_line: row.close_line,
  };
}

/** A log line from its row. */
export function toLogLine(row: Pick<LogLinesRow, 'line' | 'ts' | 'stream' | 'step_index' | 'content'>): LogLine {
  return {
    line: row.line,
    ts: row.ts,
    stream: decodeStream(row.stream),
    step_index: row.step_index,
    content: row.content,
  };
}

/** The columns of an artifact row (without its id). */
export function artifactToRow<Flag>(
  flags: FlagCodec<Flag>,
  input: Omit<ArtifactRecord, 'id'>,
): Omit<ArtifactsRow<Flag>, 'id'> {
  // Field by field, so a caller's extra properties (an id, a download_url) never reach the INSERT.
  return {
    execution_id: input.execution_id,
    step_id: input.step_id,
    name: input.name,
    description: input.description,
    file_path: input.file_path,
    file_name: input.file_name,
    file_size: input.file_size,
    mime_type: input.mime_type,
    artifact_type: input.artifact_type,
    created_at: input.created_at,
    tags: JSON.stringify(input.tags),
    is_public: flags.write(input.is_public),
    retention_days: input.retention_days,
  };
}

/** An artifact record from its row. */
export function rowToArtifact<Flag>(
  flags: FlagCodec<Flag>,
  row: FlaggedRow<ArtifactsRow<unknown>, 'is_public', Flag>,
): ArtifactRecord {
  return {
    ...row,
    artifact_type: row.artifact_type as ArtifactType,
    tags: JSON.parse(row.tags) as string[],
    is_public: flags.read(row.is_public),
  };
}
