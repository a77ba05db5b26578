// Owns the step domain types.

/**
 * Lifecycle states of a step: the contract's words plus `cancelled`, the step a cancel of its execution
 * interrupted (it neither completed nor failed on its own).
 */
export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | 'skipped';

/** Every step status, in lifecycle order (validation, the store's CHECK constraint). */
export const STEP_STATUSES: readonly StepStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
  'skipped',
];

/**
 * A step as the engine knows it: identified by its index within the execution (0-based, in
 * order of STEP_START). Times are epoch milliseconds.
 */
export interface StepState {
  index: number;
  name: string;
  description: string | null;
  status: StepStatus;
  exit_code: number | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  /** Estimated duration in seconds, from the `duration` option. */
  estimated_duration: number | null;
  stop_on_error: boolean;
  metadata: Record<string, unknown>;
  /** Line number of the step's first log line (its STEP_START line). */
  first_line: number | null;
  /** Line number of the step's last log line so far. */
  last_line: number | null;
  /** Line number of the marker that closed the step (`::endgroup::`, `section_end`, STEP_COMPLETE, …), or null when
   * nothing printed closed it (the next Buildkite header, the exit). Viewers hide that line: the header says it. */
  close_line: number | null;
  /** Index of the step this one is nested in (a group inside a group), or null for a top-level step. */
  parent_index: number | null;
  /** Nesting depth: 0 for a top-level step. */
  depth: number;
  /** Whether viewers show the step folded at first (GitLab `[collapsed=true]`, Buildkite `---` vs `+++`). */
  collapsed: boolean;
  /** The step's own progress 0..100 from PROGRESS, Azure setprogress; null when the script never said. */
  progress: number | null;
  /** The step's latest progress message (PROGRESS:n:msg, TeamCity progressMessage), or null. */
  progress_message: string | null;
}

/** A step as stored: the engine's state plus its database identity. */
export interface StepRecord extends StepState {
  id: number;
  execution_id: number;
  /** The id of the step this one is nested in, or null for a top-level step. */
  parent_id: number | null;
}
