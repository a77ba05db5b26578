// Owns the conversion of stored records into the wire shapes clients receive.
import type { ArtifactRecord } from '../core/artifact.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { LogLine } from '../core/log-line.js';
import type { StepRecord } from '../core/step.js';
import type { WireArtifact, WireExecution, WireLogLine, WireStep } from '../core/wire-types.js';

/** Renders epoch milliseconds as ISO-8601 UTC with `Z`, keeping null. */
export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function durationSeconds(start: number | null, end: number | null, now: number): number | null {
  if (start === null) return null;
  return Math.max(0, ((end ?? now) - start) / 1000);
}

/** Percentage of steps completed (completed_steps / total_steps), 0..100, one decimal; a completed run without steps is 100. */
export function progressPercentage(
  record: Pick<ExecutionRecord, 'status' | 'total_steps' | 'completed_steps'>,
): number {
  // completed_steps / total_steps as the contract defines it: a failed non-critical step keeps a completed run below 100.
  if (record.total_steps <= 0) return record.status === 'completed' ? 100 : 0;
  return Math.min(100, Math.round((record.completed_steps / record.total_steps) * 1000) / 10);
}

/**
 * Names only: an environment value is never sent back in clear (it may be a token), though the
 * child process gets the real one.
 */
export function maskEnvironment(environment: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const name of Object.keys(environment)) masked[name] = '***';
  return masked;
}

/** An id as the wire carries it (see WireId); null stays null. */
export function wireIdOrNull(id: number | null | undefined): string | null {
  return id === null || id === undefined ? null : String(id);
}

// `rerun_of` is an id StepFlow writes into metadata (as a number in rows stored before ids became strings).
function wireMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  return typeof metadata.rerun_of === 'number' ? { ...metadata, rerun_of: String(metadata.rerun_of) } : metadata;
}

/** Converts an execution record; a running execution's duration counts up to `now`. */
export function toWireExecution(record: ExecutionRecord, now: number): WireExecution {
  return {
    id: String(record.id),
    name: record.name,
    command: typeof record.command === 'string' ? record.command : [...record.command],
    working_directory: record.working_directory,
    status: record.status,
    exit_code: record.exit_code,
    error_message: record.error_message,
    created_at: new Date(record.created_at).toISOString(),
    started_at: toIso(record.started_at),
    completed_at: toIso(record.completed_at),
    environment: maskEnvironment(record.environment),
    user: record.user,
    tags: record.tags,
    total_steps: record.total_steps,
    completed_steps: record.completed_steps,
    failed_steps: record.failed_steps,
    current_step_index: record.current_step_index,
    duration_seconds: durationSeconds(record.started_at, record.completed_at, now),
    progress_percentage: progressPercentage(record),
    metadata: wireMetadata(record.metadata),
    timeout: record.timeout_seconds,
    host: record.host,
    runs_on: record.runs_on,
    agent: record.agent,
    // Executions stored before dialects existed read StepFlow markers only.
    markers: record.markers === undefined || record.markers === null ? ['stepflow'] : [...record.markers],
    annotation_counts: { ...(record.annotation_counts ?? { error: 0, warning: 0, notice: 0 }) },
  };
}

/** Converts a step record. */
export function toWireStep(step: StepRecord, now: number): WireStep {
  return {
    id: String(step.id),
    execution_id: String(step.execution_id),
    name: step.name,
    description: step.description,
    index: step.index,
    status: step.status,
    exit_code: step.exit_code,
    error_message: step.error_message,
    created_at: new Date(step.created_at).toISOString(),
    started_at: toIso(step.started_at),
    completed_at: toIso(step.completed_at),
    estimated_duration: step.estimated_duration,
    stop_on_error: step.stop_on_error,
    duration_seconds: durationSeconds(step.started_at, step.completed_at, now),
    metadata: step.metadata,
    first_line: step.first_line,
    last_line: step.last_line,
    parent_id: wireIdOrNull(step.parent_id),
    depth: step.depth,
    collapsed: step.collapsed,
    progress: step.progress,
    progress_message: step.progress_message,
    close_line: step.close_line,
  };
}

/** Converts an artifact record; `download_url` is the API route that serves the file. */
export function toWireArtifact(artifact: ArtifactRecord): WireArtifact {
  return {
    ...artifact,
    id: String(artifact.id),
    execution_id: String(artifact.execution_id),
    step_id: artifact.step_id === null ? null : String(artifact.step_id),
    created_at: new Date(artifact.created_at).toISOString(),
    download_url: `/api/artifacts/${artifact.id}/download`,
  };
}

/** Converts a log line; `stepIds` maps step index to step id for the execution. */
export function toWireLogLine(line: LogLine, stepIds: ReadonlyMap<number, number>): WireLogLine {
  return {
    line: line.line,
    timestamp: new Date(line.ts).toISOString(),
    stream: line.stream,
    step_id: line.step_index === null ? null : wireIdOrNull(stepIds.get(line.step_index)),
    step_index: line.step_index,
    content: line.content,
    level: line.stream === 'stderr' ? 'error' : line.stream === 'system' ? 'warning' : 'info',
  };
}
