// Owns the state the run supervisor keeps for each running execution.
import type { ExecutionRecord } from '../core/execution.js';
import type { RunArtifacts } from './artifacts/track-run-artifacts.js';
import type { Executor, ExecutorRun } from './executor.js';
import type { ProgressBatch } from './progress-batch.js';
import type { RunReports } from './run-reports.js';
import type { WriteChain } from './write-chain.js';

/** What the supervisor keeps for one execution from its start until its end is stored. */
export interface ActiveRun {
  record: ExecutionRecord;
  /** What runs it: this server, or an agent. */
  executor: Executor;
  handle: ExecutorRun | null;
  /** Store writes of this run, chained so they land in effect order. */
  chain: WriteChain;
  /** Progress counters and META keys, written once per flush interval rather than once per line. */
  progress: ProgressBatch;
  /** Set when the run must end failed for a reason the engine cannot see (storage failure). */
  failure: string | null;
  /** Set when the server stops the run at shutdown, to say so in the error message. */
  stoppedByShutdown: boolean;
  /** Set when the run was asked to stop before its script was launched; the launch passes it on. */
  stopRequested: boolean;
  /** Why the run's artifact collection was abandoned (deleted, shutdown), once it was. */
  abandoned: string | null;
  /** ARTIFACT markers of this run; null when the service keeps no artifacts (or until its roots are open). */
  artifacts: RunArtifacts | null;
  /** Number of the last log line the engine emitted; lines added after the run finished continue from it. */
  lastLine: number;
  /** Annotations and step summaries of this run. */
  reports: RunReports;
  finished: Promise<void>;
  resolveFinished: () => void;
}
