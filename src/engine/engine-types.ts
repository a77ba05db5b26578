// Owns the engine's state, input events and output effects: the vocabulary of the pure core.
import type { ExecutionStatus } from '../core/execution.js';
import type { LogStream } from '../core/log-line.js';
import type { StepState } from '../core/step.js';
import type { MarkerScanner } from '../markers/create-marker-scanner.js';
import type { MarkerDialect } from '../markers/marker-dialect.js';
import type { Annotation, AnnotationLevel } from '../core/annotation.js';
import type { MarkerMatchMode, StepClosing } from '../markers/marker-event.js';
import type { SecretMask } from './secret-mask.js';

/** Settings the engine needs; fixed for one execution. */
export interface EngineOptions {
  markerMode: MarkerMatchMode;
  /** The marker dialects read in this execution's output; DEFAULT_MARKER_DIALECTS when absent. */
  markers?: readonly MarkerDialect[];
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
  /** Steps that ended `failed`. */
  failed_steps: number;
  current_step_index: number | null;
  metadata: Record<string, unknown>;
}

/** Why the engine asked for the process group to be stopped. */
export type StopReason = 'cancelled' | 'timed_out' | 'critical_step_failed';

/**
 * The whole state of one execution inside the engine. It has one owner (the runner): the engine
 * updates it in place, so a line costs the same however many steps, metadata keys or masked values
 * the execution has. Effects carry copies, never objects of the state.
 */
export interface EngineState {
  options: EngineOptions;
  execution: ExecutionProgress;
  steps: StepState[];
  /** Steps completed so far, counted as they complete so progress never walks the steps. */
  completedSteps: number;
  /** Steps failed so far, counted like completedSteps. */
  failedSteps: number;
  /** Index of the innermost open (running) step, or null. */
  openStep: number | null;
  /** Every open step, outermost first; the last is `openStep`. Bounded by MAX_STEP_DEPTH. */
  openSteps: OpenStep[];
  /** The step of the latest Buildkite header, which `^^^ +++` expands; null before the first. */
  lastHeaderStep: number | null;
  /** The step of the last TAP test point (or the subtest it closed), which a YAML diagnostics block after it reports on. */
  lastTestPointStep: number | null;
  /** The dialects read and what reading them remembers between lines. */
  scanner: MarkerScanner;
  /** Number of the last log line emitted (0 before any). */
  lastLine: number;
  /** Set once a stop was requested; the first reason wins. */
  stopping: { reason: StopReason; message: string } | null;
  /** Secret values masked in every effect; MASK markers add to it. */
  secrets: SecretMask;
  /** How much of each bound in engine-limits.ts the script has used. */
  usage: EngineUsage;
}

/** How an open step ends, and the outcome a marker already chose for it. */
export interface OpenStep {
  index: number;
  /** `stepflow`: the next STEP_START ends it; `next_header`: the next Buildkite header; `explicit`: its close marker. */
  closing: StepClosing | 'stepflow';
  /** The name a close marker uses for it (GitLab section, TeamCity block), or null. */
  key: string | null;
  /** Set by Azure's task.complete: the status the step ends with unless the run's exit says it failed. */
  result: { status: 'completed' | 'failed'; message: string | null } | null;
}

/** The size of one metadata object, kept as it changes so no META line has to measure the whole object. */
export interface MetadataSize {
  keys: number;
  bytes: number;
}

/** What the script has used of the engine's bounds, and which bound notices were already logged. */
export interface EngineUsage {
  artifacts: number;
  maskedValues: number;
  maskedBytes: number;
  executionMeta: MetadataSize;
  /** The open step's metadata (reset when a step starts). */
  stepMeta: MetadataSize;
  /** Metadata bytes of the execution and all its steps. */
  metaBytes: number;
  /** Annotations per level, all of them: past MAX_ANNOTATIONS they are counted, not kept. */
  annotations: Record<AnnotationLevel, number>;
  /** TAP test points per outcome, all of them: past MAX_TEST_POINT_STEPS they are counted, not made steps. */
  testPoints: { completed: number; failed: number; skipped: number };
  /** Bounds whose notice was logged: each is said once, not once per line. */
  noticed: Set<string>;
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
  | { type: 'notice'; at: number; content: string }
  /**
   * A line read together with lines of the other stream whose order against it is unknown: if it
   * is a MASK marker, its value is masked from now on, ahead of its own line (see apply-mask.ts).
   */
  | { type: 'mask_ahead'; content: string };

/** A log line the engine decided to record (line number assigned by the engine). */
export interface LogLineEffect {
  line: number;
  ts: number;
  stream: LogStream;
  step_index: number | null;
  content: string;
}

/** The execution's progress without its metadata, which changes one key at a time in metadata_changed effects. */
export type ExecutionCounters = Omit<ExecutionProgress, 'metadata'>;

/** What the engine asks its host to do, in order. */
export type EngineEffect =
  | { type: 'execution_changed'; execution: ExecutionCounters }
  | { type: 'step_changed'; step: StepState }
  /** One META key set on the execution (`step_index` null) or on the open step; key and value are masked. */
  | { type: 'metadata_changed'; step_index: number | null; key: string; value: unknown }
  | { type: 'log'; line: LogLineEffect }
  | { type: 'artifact'; path: string; description: string | null; step_index: number | null; at: number }
  /** An annotation; `kept` is false past MAX_ANNOTATIONS, when only the counts grow (never silently). */
  | { type: 'annotation'; annotation: Annotation; kept: boolean }
  /** A Markdown file to read as the step's summary when the step ends. */
  | { type: 'summary'; path: string; step_index: number | null; at: number }
  | { type: 'kill_process_group'; reason: StopReason }
  | { type: 'finished'; execution: ExecutionProgress };

/** What applying one marker decided about its own line: the step it belongs to, a warning to log after it, a value to hide in it. */
export interface MarkerOutcome {
  stepIndex: number | null;
  warning: string | null;
  /** A MASK value that was not registered (past the bound): still replaced by `***` in the marker's own line. */
  hidden?: string;
}

/** The engine's answer to one event. */
export interface EngineTransition {
  state: EngineState;
  effects: EngineEffect[];
}
