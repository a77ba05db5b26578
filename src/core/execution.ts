// Owns the execution domain types: statuses, the stored record and the creation input.
import type { AnnotationCounts } from './annotation.js';

/** Lifecycle states of an execution, in the contract's words. */
export type ExecutionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Every execution status, in lifecycle order (used for validation and statistics). */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
];

/** A status an execution never leaves once it reaches it. */
export type TerminalStatus = 'completed' | 'failed' | 'cancelled';

/** The terminal statuses, the one list every layer (engine, service, stores, CLI) consults. */
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['completed', 'failed', 'cancelled'];

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

/** True when an execution in this status will never change again. */
export function isTerminalStatus(status: string): status is TerminalStatus {
  return TERMINAL.has(status);
}

/** A command: a string runs under `/bin/sh -c`, an array runs as argv. */
export type Command = string | readonly string[];

/** What a caller asks to run; validated before it reaches the service. */
export interface NewExecution {
  name: string;
  command: Command;
  working_directory: string;
  environment: Record<string, string>;
  tags: string[];
  metadata: Record<string, unknown>;
  user: string | null;
  timeout_seconds: number | null;
  /** Labels an agent must all have to run it; empty: any executor (this server first, when it runs executions). */
  runs_on: string[];
  /** The marker dialects read in its output (see markers/marker-dialect.ts); absent or null: the server's default. */
  markers?: readonly string[] | null | undefined;
}

/** An execution as stored. Times are epoch milliseconds (UTC); the wire layer renders ISO-8601. */
export interface ExecutionRecord extends NewExecution {
  id: number;
  status: ExecutionStatus;
  exit_code: number | null;
  error_message: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  total_steps: number;
  completed_steps: number;
  current_step_index: number | null;
  /** Steps that ended `failed` (a completed run may have some: non-critical steps do not fail it). */
  failed_steps: number;
  /** The machine that ran it (the server's hostname for local runs), set when it starts; null before. */
  host: string | null;
  /** Process-group id of the running child, kept so a restarted server can kill orphans. */
  pid: number | null;
  /** Name of the agent holding (or that ran) it; null when this server ran it. */
  agent: string | null;
  /** Annotations reported so far by level, kept or not (absent in records built before annotations existed). */
  annotation_counts?: AnnotationCounts;
}

/** The fields of an execution that change while it runs. */
export type ExecutionPatch = Partial<
  Pick<
    ExecutionRecord,
    | 'status'
    | 'exit_code'
    | 'error_message'
    | 'started_at'
    | 'completed_at'
    | 'total_steps'
    | 'completed_steps'
    | 'current_step_index'
    | 'failed_steps'
    | 'host'
    | 'metadata'
    | 'pid'
    | 'agent'
  >
>;
