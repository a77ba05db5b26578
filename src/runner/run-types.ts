// Owns the runner's contract with its host: what to run, what it needs, and the handle it returns.
import type { Clock } from '../core/clock.js';
import type { EngineEffect, EngineOptions, ExecutionProgress } from '../engine/engine-types.js';
import type { LimitProcesses } from './limit-processes.js';
import type { ScriptConfinement, SpawnChild } from './spawn-command.js';

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
  /** The user the script runs as and the roots its working directory must lie in (default: neither). */
  confinement?: ScriptConfinement;
}

/** Where the runner reports its own failures (pino satisfies it); script output never goes here. */
export interface RunnerLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/** What the runner needs from its host; time and process creation are injectable for tests. */
export interface RunDeps {
  clock: Clock;
  logger: RunnerLogger;
  /** Receives engine effects synchronously and in order; one call per output chunk. */
  onEffects: (effects: EngineEffect[]) => void;
  /** How processes are started (default: from this process; the server passes its spawner helper's). */
  spawnChild?: SpawnChild | undefined;
  /** How long to wait for stdout/stderr to close after the script exits (default 2000 ms). */
  orphanWaitMs?: number;
  /** Makes the script's capped pids cgroup; its release kills what is left when the run ends. */
  limitProcesses?: LimitProcesses | undefined;
}

/** A running execution. */
export interface RunHandle {
  readonly pid: number | null;
  /** Asks the engine to cancel; the engine's kill effect stops the process group. */
  cancel(): void;
  /** Adds a system line to the log, numbered by the engine; false once the run has finished (the line was not added). */
  notice(content: string): boolean;
  /** Stops reading the script's output, so a script that keeps printing blocks on its full pipe; nothing is dropped. */
  pause?(): void;
  /** Reads the script's output again after `pause`. */
  resume?(): void;
  /** Replaces every secret the run knows (environment secrets, MASK and add-mask values so far) in `text` by `***`. */
  mask(text: string): string;
  /** The final progress once the engine reported `finished`; never rejects. */
  readonly done: Promise<ExecutionProgress>;
}
