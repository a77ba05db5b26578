// Owns the engine's state, input events and output effects: the vocabulary of the pure core.
import type { ExecutionStatus } from '../core/execution.js';
import type { LogStream } from '../core/log-line.js';
import type { StepState } from '../core/step.js';
import type { MarkerMatchMode } from '../markers/marker-event.js';
import type { SecretMask } from './secret-mask.js';

/** Settings the engine needs; fixed for one execution. */
export interface EngineOptions {
  markerMode: MarkerMatchMode;
  /** Secret values known before the run starts (from secret-looking environment variables); masked from the first line. */
  secrets?: readonly string[];
}

/** The execution-level part of the engine state (what the store's execution row mirrors). */
export interface ExecutionProgress {
  status: ExecutionStatus;
  exit_code: number | null;
  error_message: string | null;
  started_at: number | null;
  completed_at: number | null;
  total_steps: number;
  completed_steps: number;
  current_step_index: number | null;
  metadata: Record<string, unknown>;
}

/** Why the engine asked for the process group to be stopped. */
export type StopReason = 'cancelled' | 'timed_out' | 'critical_step_failed';

/** The whole state of one execution inside the engine. Treat as immutable. */
export interface EngineState {
  options: EngineOptions;
  execution: ExecutionProgress;
  steps: readonly StepState[];
  /** Index of the open (running) step, or null. */
  openStep: number | null;
  /** Number of the last log line emitted (0 before any). */
  lastLine: number;
  /** Set once a stop was requested; the first reason wins. */
  stopping: { reason: StopReason; message: string } | null;
  /** Secret values masked in every effect; MASK markers add to it. */
  secrets: SecretMask;
}

/** Something that happened to the execution, fed to the engine in order. */
export type EngineEvent =
  | { type: 'started'; at: number; pid: number }
  /** `continuation`: a piece of an over-long line after its first; never read as a marker, since it does not start a line. */
  | { type: 'line'; at: number; stream: 'stdout' | 'stderr'; content: string; continuation?: boolean }
  | { type: 'exited'; at: number; exit_code: number | null; signal: string | null }
  | { type: 'spawn_failed'; at: number; message: string }
  | { type: 'cancel_requested'; at: number }
  | { type: 'timed_out'; at: number; timeout_seconds: number }
  /** A line StepFlow itself adds to the log (e.g. a refused artifact); numbered like any other line. */
  | { type: 'notice'; at: number; content: string };

/** A log line the engine decided to record (line number assigned by the engine). */
export interface LogLineEffect {
  line: number;
  ts: number;
  stream: LogStream;
  step_index: number | null;
  content: string;
}

/** What the engine asks its host to do, in order. */
export type EngineEffect =
  | { type: 'execution_changed'; execution: ExecutionProgress }
  | { type: 'step_changed'; step: StepState }
  | { type: 'log'; line: LogLineEffect }
  | { type: 'artifact'; path: string; description: string | null; step_index: number | null; at: number }
  | { type: 'kill_process_group'; reason: StopReason }
  | { type: 'finished'; execution: ExecutionProgress };

/** The engine's answer to one event. */
export interface EngineTransition {
  state: EngineState;
  effects: EngineEffect[];
}
