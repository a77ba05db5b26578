// Owns the JSON shapes StepFlow sends to clients (REST and WebSocket); the dashboard imports these too.
import type { AnnotationCounts, AnnotationLevel } from './annotation.js';
import type { ArtifactRecord } from './artifact.js';
import type { ExecutionStatus } from './execution.js';
import type { LogStream } from './log-line.js';
import type { StepStatus } from './step.js';

/** The envelope around every JSON response (contract §2); `code` is ours, present on errors. */
export interface Envelope<T> {
  success: boolean;
  data: T | null;
  error: string | null;
  code?: string;
  field?: string;
  timestamp: string;
}

/**
 * An id as clients see it: a string of the number (`"42"`). The old API documented ids as strings, and typed
 * clients (Go, Pydantic, the old UI's `===`) decode them so; routes accept the same text back.
 */
export type WireId = string;

/** An execution as clients see it: ISO-8601 UTC times and derived duration/progress. */
export interface WireExecution {
  id: WireId;
  name: string;
  command: string | string[];
  working_directory: string;
  status: ExecutionStatus;
  exit_code: number | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  environment: Record<string, string>;
  user: string | null;
  tags: string[];
  total_steps: number;
  completed_steps: number;
  /** Steps that ended `failed`; a `completed` run with failed non-critical steps has more than 0. */
  failed_steps: number;
  current_step_index: number | null;
  duration_seconds: number | null;
  progress_percentage: number;
  metadata: Record<string, unknown>;
  timeout: number | null;
  /** The machine that ran it (the server's hostname for local runs); null until it starts. */
  host: string | null;
  /** Labels an agent must all have to run it. */
  runs_on: string[];
  /** The agent that holds or ran it; null when the server ran it itself. */
  agent: string | null;
  /** The marker dialects read in its output. */
  markers: string[];
  /** Annotations reported by level (all of them, also those past the kept bound). */
  annotation_counts: AnnotationCounts;
}

/** A step as clients see it. */
export interface WireStep {
  id: WireId;
  execution_id: WireId;
  name: string;
  description: string | null;
  index: number;
  status: StepStatus;
  exit_code: number | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  estimated_duration: number | null;
  stop_on_error: boolean;
  duration_seconds: number | null;
  metadata: Record<string, unknown>;
  first_line: number | null;
  last_line: number | null;
  /** The step this one is nested in (a group inside a group), or null; the flat list keeps every step. */
  parent_id: WireId | null;
  /** Nesting depth, 0 for a top-level step. */
  depth: number;
  /** Whether viewers show it folded at first. */
  collapsed: boolean;
  /** The step's own progress 0..100, or null. */
  progress: number | null;
  progress_message: string | null;
  /** Line number of the marker that closed the step (hidden by viewers, kept in the stored log), or null. */
  close_line: number | null;
}

/** An annotation as clients see it: the step it was reported in (id and index) and the log line that made it. */
export interface WireAnnotation {
  id: WireId;
  execution_id: WireId;
  step_id: WireId | null;
  step_index: number | null;
  log_line: number;
  level: AnnotationLevel;
  message: string;
  file: string | null;
  line: number | null;
  col: number | null;
  end_line: number | null;
  end_col: number | null;
  title: string | null;
  created_at: string;
}

/** A page of annotations; `more` is how many were reported but are not on this page (or were not kept), never a silent cap. */
export interface WireAnnotationPage {
  annotations: WireAnnotation[];
  counts: AnnotationCounts;
  total_count: number;
  kept_count: number;
  limit: number;
  offset: number;
  more: number;
}

/** A step's Markdown summary as stored (masked, at most 1 MiB); clients render it sanitized. */
export interface WireStepSummary {
  step_id: WireId | null;
  step_index: number;
  markdown: string;
  truncated: boolean;
}

/** An artifact as clients see it: the stored record with string ids, an ISO time and the URL that serves the file. */
export interface WireArtifact extends Omit<ArtifactRecord, 'created_at' | 'id' | 'execution_id' | 'step_id'> {
  id: WireId;
  execution_id: WireId;
  step_id: WireId | null;
  created_at: string;
  download_url: string;
}

/** One log line as clients see it; `level` is the old tool's field (info for stdout, error for stderr). */
export interface WireLogLine {
  line: number;
  timestamp: string;
  stream: LogStream;
  step_id: WireId | null;
  step_index: number | null;
  content: string;
  level: 'info' | 'error' | 'warning';
}

/** A page of an execution's log. */
export interface WireLogPage {
  execution_id: WireId;
  lines: WireLogLine[];
  offset: number;
  limit: number;
  total_lines: number;
  has_more: boolean;
  /** True while the execution may still append lines. */
  is_running: boolean;
}

/** An agent as GET /api/agents lists it. */
export interface WireAgent {
  name: string;
  labels: string[];
  version: string;
  /** idle: connected, running nothing; busy: holds executions; lost: not heard from for STEPFLOW_AGENT_LOST_SECONDS. */
  status: 'idle' | 'busy' | 'lost';
  /** Ids of the executions it holds now. */
  executions: WireId[];
  last_seen: string;
  address: string;
  concurrency: number;
}

/** One matching line of a cross-run log search, with a few lines around it. */
export interface WireSearchMatch {
  line: WireLogLine;
  /** Name of the step the line belongs to, null outside every step. */
  step_name: string | null;
  before: WireLogLine[];
  after: WireLogLine[];
}

/** One execution whose log matched a search. */
export interface WireSearchHit {
  execution: WireExecution;
  /** Matching lines counted (the count stops at 1,000: `more_matches`). */
  match_count: number;
  more_matches: boolean;
  /** The first few matching lines. */
  matches: WireSearchMatch[];
}

/** A page of GET /api/search: matching executions, newest first. */
export interface WireSearchPage {
  query: string;
  regex: boolean;
  executions: WireSearchHit[];
  /** Pass as `cursor` for the next page; null when every execution was searched. */
  next_cursor: string | null;
  /** True when the time budget ran out before the page was complete. */
  partial: boolean;
  searched_executions: number;
  searched_chunks: number;
  skipped_chunks: number;
}
