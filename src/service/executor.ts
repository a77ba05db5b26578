// Owns the executor seam: how the service hands an execution to whatever runs it (this server, or an agent) and hears back.
import type { EngineEffect, EngineOptions, ExecutionProgress } from '../engine/engine-types.js';

/** What an executor runs: the execution as requested, plus the engine settings the service decided. No process ids. */
export interface ExecutionSpec {
  execution_id: number;
  command: string | readonly string[];
  working_directory: string;
  /** The request's own variables; an executor adds what its machine lends (the local one: the filtered server environment). */
  environment: Record<string, string>;
  timeout_seconds: number | null;
  metadata: Record<string, unknown>;
  engine: EngineOptions;
}

/** One execution inside an executor. */
export interface ExecutorRun {
  /** Asks the run to stop (the engine records it as cancelled). */
  cancel(): void;
  /** Adds a system line numbered by the run's engine; false when the run can no longer number one (it finished). */
  notice(content: string): boolean;
  /** Replaces the secrets the run knows so far in `text` by `***`; absent when the run's engine is elsewhere (it masked its own effects). */
  mask?(text: string): string;
  /** The final progress once the run finished; never rejects. */
  readonly done: Promise<ExecutionProgress>;
  /** Artifacts the executor stored for the run itself (an agent's uploads); absent when the service collects them. */
  readonly artifactsCount?: number;
}

/** Runs executions and reports each one's engine effects, in order, to `onEffects`. */
export interface Executor {
  /** Shown as where the execution ran (`local`, or an agent's name). */
  readonly name: string;
  /** True when scripts run on this server: ARTIFACT paths name its files (the service collects them), and its own secrets are masked. */
  readonly onThisServer: boolean;
  start(spec: ExecutionSpec, onEffects: (effects: EngineEffect[]) => void): ExecutorRun;
}
