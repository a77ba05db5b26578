// Owns the dependencies the service layer is built from; app.ts supplies the concrete ones.
import type { MarkerDialect } from '../markers/marker-dialect.js';
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../bus/event-bus.js';
import type { MarkerMatchMode } from '../markers/marker-event.js';
import type { LaunchRun, LimitProcesses, RunAsUser } from './launch-run.js';
import type { ClusterCoordinator } from '../store/cluster-coordinator.js';
import type { Store } from '../store/store.js';

/** The few logging calls the service makes (pino satisfies it). */
export interface ServiceLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Settings of the service, taken from Config by app.ts. */
export interface ServiceSettings {
  maxConcurrent: number;
  killGraceMs: number;
  markerMode: MarkerMatchMode;
  /** Marker dialects of executions that chose none (STEPFLOW_MARKERS); default stepflow, github, gitlab. */
  markers?: readonly MarkerDialect[];
  defaultWorkingDirectory: string;
  logFlushMs: number;
  logBatchLines: number;
  storagePath: string;
  /** The artifacts folder; default `<storagePath>/artifacts`. */
  artifactPath?: string;
  /** Most executions waiting as pending; creating more answers queue_full (default: no bound). */
  maxQueued?: number;
  /** Name patterns of environment variables whose values are masked, and withheld from children (default: none). */
  secretNamePatterns?: readonly string[];
  /** Real paths every working directory must lie in (STEPFLOW_WORKING_ROOTS; default: any directory). */
  workingRoots?: readonly string[];
  /** The user scripts run as (STEPFLOW_RUN_AS, resolved at start); absent or null: the server's own user. */
  runAs?: RunAsUser | null;
  /** Server variables children inherit although they look like secrets (STEPFLOW_CHILD_ENV_PASSTHROUGH). */
  childEnvPassthrough?: readonly string[];
  /** STEPFLOW_MAX_ARTIFACT_BYTES, told to agents so they pack a directory artifact under the same limit. */
  maxArtifactBytes?: number;
  /** The machine's name, recorded as `host` on every execution this server runs (absent: not recorded). */
  hostName?: string;
  /** False: this server runs nothing itself, agents run every execution (STEPFLOW_LOCAL_EXECUTOR; default true). */
  localExecutor?: boolean;
  /** Seconds of silence after which an agent is lost and its executions fail (default 60). */
  agentLostSeconds?: number;
  /** MiB of log text held in memory while the database does not answer (STEPFLOW_OUTAGE_BUFFER_MB, default 64). */
  outageBufferMb?: number;
}

/** Everything the service needs from the outside. */
export interface ServiceDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: ServiceLogger;
  /** Starts one process (runner/runExecution in production). */
  launch: LaunchRun;
  /** Kills a process group left behind by a previous server process; true if it existed. */
  killOrphanGroup: (pgid: number) => boolean;
  /** The server's own environment; children get it minus its secrets (see filter-server-environment.ts) plus the request's. */
  baseEnvironment: Record<string, string | undefined>;
  settings: ServiceSettings;
  /** Caps each execution's process count; absent when no cap is configured or it cannot be enforced. */
  limitProcesses?: LimitProcesses | undefined;
  /** Told about every storage failure (disk full, I/O error) so the host can free its reserve and report it. */
  onStorageFailure?: (error: unknown) => void;
  /** Non-null, saying why, while the storage reserve is in use: executions are neither accepted nor started. */
  storageProblem?: () => string | null;
  /** Set when other servers share the database: the queue is claimed from it, and recovery is limited to this server's runs. */
  cluster?: ClusterCoordinator | undefined;
}
