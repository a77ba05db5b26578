// Owns what the service needs from whatever runs a script; the runner (runner/run-execution.ts) implements it and app.ts plugs it in.
import type { Clock } from '../core/clock.js';
import type { EngineEffect, EngineOptions, ExecutionProgress } from '../engine/engine-types.js';

/** A user a script runs as, by name and numeric ids. */
export interface ScriptUser {
  name: string;
  uid: number;
  gid: number;
}

/** The configured run-as user (STEPFLOW_RUN_AS) with the home directory its children get as HOME. */
export interface RunAsUser extends ScriptUser {
  home: string;
}

/** Makes a capped process group for one execution: where its process must start (null: uncapped) and how to end it. */
export type LimitProcesses = () => { dir: string | null; release: () => void };

/** What to run and how; `environment` is already the child's full environment. */
export interface RunRequest {
  command: string | readonly string[];
  cwd: string;
  environment: Record<string, string>;
  timeoutSeconds: number | null;
  killGraceMs: number;
  engineOptions: EngineOptions;
  /** The execution's own metadata; the engine merges META markers into it. */
  metadata?: Record<string, unknown>;
  /** The user the script runs as and the roots its working directory must lie in. */
  confinement?: { user: ScriptUser | null; workingRoots: readonly string[] };
}

/** What the service hands the launcher besides the request: the clock, the logger, the effect sink and the process cap. */
export interface RunDeps {
  clock: Clock;
  /** Where the launcher reports its own failures (a sink that threw, a signal that could not be sent). */
  logger: { error(fields: Record<string, unknown>, message: string): void };
  /** Receives engine effects synchronously and in order. */
  onEffects: (effects: EngineEffect[]) => void;
  limitProcesses?: LimitProcesses | undefined;
}

/** A running execution as the service controls it. */
export interface RunHandle {
  readonly pid: number | null;
  /** Asks the engine to cancel; the engine's kill effect stops the process group. */
  cancel(): void;
  /** Adds a system line to the log, numbered by the engine; false once the run has finished (the line was not added). */
  notice(content: string): boolean;
  /** Replaces every secret the run knows (environment secrets, MASK and add-mask values so far) in `text` by `***`. */
  mask(text: string): string;
  /** The final progress once the engine reported `finished`; never rejects. */
  readonly done: Promise<ExecutionProgress>;
}

/** Starts one execution's script and reports its engine effects to `deps.onEffects`. */
export type LaunchRun = (request: RunRequest, deps: RunDeps) => RunHandle;
