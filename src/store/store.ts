// Owns the Store interface: every persistence operation StepFlow needs, shaped by its use cases.
import type { AgentStore } from './agent-store.js';
import type { Annotation, AnnotationRecord } from '../core/annotation.js';
import type { ApiKeyRecord, NewApiKey, SessionRecord } from '../core/api-key.js';
import type { ArtifactRecord } from '../core/artifact.js';
import type { AuditEntry, NewAuditEntry } from '../core/audit-entry.js';
import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NewExecution } from '../core/execution.js';
import type { LogLine, LogStream } from '../core/log-line.js';
import type { StepRecord, StepState } from '../core/step.js';

/** Filters for listing executions; all optional, combined with AND. */
export interface ExecutionFilter {
  limit: number;
  offset: number;
  status?: ExecutionStatus | undefined;
  user?: string | undefined;
  /** Case-insensitive substring of name or command. */
  q?: string | undefined;
  /** Executions carrying this tag. */
  tag?: string | undefined;
  /** created_at >= this (epoch ms). */
  created_after?: number | undefined;
  /** created_at < this (epoch ms). */
  created_before?: number | undefined;
  /** Sort column; default `created_at` (newest first). Ties fall back to newest first. */
  sort?: ExecutionSortKey | undefined;
  /** Sort direction; default `desc`. */
  order?: 'asc' | 'desc' | undefined;
}

/** Columns an execution list can be sorted by. */
export type ExecutionSortKey = 'created_at' | 'name' | 'status' | 'user' | 'duration';

/** One page of executions plus the count of all rows matching the filter. */
export interface ExecutionPage {
  executions: ExecutionRecord[];
  total_count: number;
}

/** Which lines of one execution's log to read. `offset` counts matching lines, 0-based. */
export interface LogQuery {
  offset: number;
  limit: number;
  /** undefined: any step; null: only lines outside every step; a number: that step's lines. */
  step_index?: number | null | undefined;
  stream?: LogStream | undefined;
}

/** One page of log lines plus how many lines match the query in total. */
export interface LogPage {
  lines: LogLine[];
  total: number;
}

/** A search over every stored log (see Store.searchLogs). */
export interface LogSearchQuery {
  /** Text to find, case-insensitive, in each line's visible text; a JavaScript regular expression when `regex`. */
  text: string;
  regex: boolean;
  status?: ExecutionStatus | undefined;
  /** created_at >= this (epoch ms). */
  since?: number | undefined;
  /** created_at < this (epoch ms). */
  until?: number | undefined;
  /** Case-insensitive substring of the execution's name. */
  name?: string | undefined;
  /** Executions per page. */
  limit: number;
  /** Only executions with a lower id (the previous page's cursor). */
  before_id?: number | undefined;
  /** Matching lines returned per execution (all are counted up to `count_cap`). */
  matches_per_execution: number;
  /** Lines of context before and after each returned match. */
  context: number;
  /** Wall-clock budget of the whole search in milliseconds. */
  budget_ms: number;
}

/** A matching line with its neighbours. */
export interface LogSearchMatch {
  line: LogLine;
  before: LogLine[];
  after: LogLine[];
}

/** One execution whose log matched. */
export interface LogSearchExecutionHit {
  execution: ExecutionRecord;
  /** Matching lines counted, at most `count_cap`; `more` says the count stopped there. */
  match_count: number;
  more: boolean;
  matches: LogSearchMatch[];
}

/** One page of a log search, newest executions first. */
export interface LogSearchPage {
  executions: LogSearchExecutionHit[];
  /** Pass as `before_id` for the next page; null when every candidate was searched. */
  next_before_id: number | null;
  /** True when the budget ran out first: the page holds what was found until then. */
  partial: boolean;
  searched_executions: number;
  searched_chunks: number;
  skipped_chunks: number;
}

/** Totals over every stored execution (never a sample). */
export interface ExecutionStatistics {
  total_executions: number;
  by_status: Record<ExecutionStatus, number>;
  active_now: number;
  /** completed / (completed + failed + cancelled), 0..100; 0 when nothing finished. */
  success_rate: number;
  /** Mean duration in seconds of finished executions; 0 when none. */
  avg_duration: number;
}

/** Figures every store reports: size, row counts and the creation-time range. */
interface StoreFiguresBase {
  /** Bytes the database occupies (SQLite: the file's pages, WAL apart; PostgreSQL: pg_database_size). */
  size_bytes: number;
  tables: Record<string, number>;
  oldest_execution_at: number | null;
  newest_execution_at: number | null;
}

/** The SQLite store's figures: its write-ahead log and pragmas. */
export interface SqliteStoreFigures extends StoreFiguresBase {
  backend: 'sqlite';
  wal_bytes: number;
  journal_mode: string;
  page_size: number;
  cache_size: number;
}

/** The PostgreSQL store's figures: its connection pool and database server. */
export interface PostgresStoreFigures extends StoreFiguresBase {
  backend: 'postgres';
  server_version: string;
  /** Connections of this server's pool: its ceiling, open, idle and callers waiting for one. */
  pool: { max: number; total: number; idle: number; waiting: number };
  /** Connections to this database from every client (all StepFlow servers included). */
  connections: number;
  /** Share of block reads served from PostgreSQL's buffer cache since its statistics were reset, 0..1; null before any read. */
  cache_hit_ratio: number | null;
  /** The read replica (STEPFLOW_DATABASE_READ_URL), when one is set: its server version and this server's pool to it. */
  read_replica?: { server_version: string; pool: { max: number; total: number; idle: number; waiting: number } };
}

/** Database figures for the health routes, in the terms of the backend that produced them. */
export type StoreFigures = SqliteStoreFigures | PostgresStoreFigures;

/** An artifact to record; the file is already in place under the storage directory. */
export type NewArtifact = Omit<ArtifactRecord, 'id'>;

/** A step's Markdown summary as stored: at most 1 MiB, `truncated` when the file was longer. */
export interface StepSummary {
  step_index: number;
  markdown: string;
  truncated: boolean;
}

/** Filters for listing artifacts. */
export interface ArtifactFilter {
  limit: number;
  offset: number;
  execution_id?: number | undefined;
  step_id?: number | undefined;
  artifact_type?: string | undefined;
}

/** Filters for reading the audit trail, newest first. */
export interface AuditFilter {
  limit: number;
  offset: number;
  actor?: string | undefined;
  action?: string | undefined;
  execution_id?: number | undefined;
}

/** Database-level housekeeping, which each store fills in its own terms (SQLite pragmas, PostgreSQL statistics). */
export interface StoreMaintenance {
  /** Quick liveness probe (a trivial query); throws when the database is unusable. */
  ping(): Promise<void>;
  figures(): Promise<StoreFigures>;
  /** The backend's optimisation (SQLite: PRAGMA optimize, ANALYZE, WAL checkpoint; PostgreSQL: VACUUM ANALYZE); returns the operations performed. */
  optimize(): Promise<string[]>;
}

/** Persistence for executions, steps, log lines and artifacts. Every implementation passes store-contract. */
export interface Store extends StoreMaintenance {
  /** Agent registrations, sessions and the agents' queue. */
  readonly agents: AgentStore;
  createExecution(input: NewExecution, createdAt: number): Promise<ExecutionRecord>;
  getExecution(id: number): Promise<ExecutionRecord | null>;
  updateExecution(id: number, patch: ExecutionPatch): Promise<void>;
  listExecutions(filter: ExecutionFilter): Promise<ExecutionPage>;
  /** Executions in the given statuses, oldest first (queue recovery, `active`). */
  listExecutionsByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]>;
  /** Removes the execution with its steps, log lines and artifact rows; false if it did not exist. */
  deleteExecution(id: number): Promise<boolean>;
  statistics(): Promise<ExecutionStatistics>;

  /** Inserts or updates the step with this index; returns it with its id. */
  saveStep(executionId: number, step: StepState): Promise<StepRecord>;
  listSteps(executionId: number): Promise<StepRecord[]>;

  /** Appends lines (ascending, contiguous line numbers) in one transaction. */
  appendLogLines(executionId: number, lines: readonly LogLine[]): Promise<void>;
  readLogLines(executionId: number, query: LogQuery): Promise<LogPage>;
  /** Highest stored line number of the execution, 0 when none. */
  lastLogLine(executionId: number): Promise<number>;
  /** Seals the log's live tail into compressed chunks once the execution has ended; reads return the same lines. */
  sealLog(executionId: number): Promise<void>;
  /**
   * Seals up to `maxLines` unsealed lines of one ended execution (logs stored before chunks existed, or left by a
   * crash); returns how many, 0 once nothing is left. Reads return the same lines before, during and after.
   */
  sealLogBacklog(maxLines: number): Promise<number>;
  /**
   * Seals the complete chunks waiting in the tails of live logs appended through this store, up to about `maxLines`
   * lines; returns how many, 0 once none is waiting. Appends never seal, so this is what keeps live tails short.
   */
  sealLiveLogs(maxLines: number): Promise<number>;
  /**
   * Searches every stored log (sealed chunks and live tails), newest execution first, skipping chunks whose trigram
   * filter rules the text out; never blocks the caller past `budget_ms` (the page is then marked partial).
   */
  searchLogs(query: LogSearchQuery): Promise<LogSearchPage>;

  createArtifact(input: NewArtifact): Promise<ArtifactRecord>;
  getArtifact(id: number): Promise<ArtifactRecord | null>;
  listArtifacts(filter: ArtifactFilter): Promise<{ artifacts: ArtifactRecord[]; total_count: number }>;
  deleteArtifact(id: number): Promise<boolean>;

  /** Stores an API key (its hash only); names are unique among keys that are not revoked. */
  createApiKey(input: NewApiKey): Promise<ApiKeyRecord>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** The key that is not revoked with this hash, or null. */
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Revokes the active key with this id or name (and ends its sessions); null when none matched. */
  revokeApiKey(idOrName: number | string, revokedAt: number): Promise<ApiKeyRecord | null>;
  createSession(session: SessionRecord): Promise<void>;
  /** The session with this token hash unless it expired by `now`. */
  findSession(tokenHash: string, now: number): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Removes sessions expired by `now`; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total_count: number }>;

  /**
   * Ids of finished executions retention may delete, oldest first: those completed before
   * `finishedBefore` and those beyond the `keepNewest` newest executions (null turns a rule off).
   */
  listRetentionCandidates(rule: {
    finishedBefore: number | null;
    keepNewest: number | null;
    limit: number;
  }): Promise<number[]>;
  /** Deletes the execution's log lines numbered up to `throughLine` (one bounded chunk); returns how many. */
  deleteLogLines(executionId: number, throughLine: number): Promise<number>;

  /** Counts an annotation on its execution and stores it when `kept` (past the engine's bound only the count grows). */
  saveAnnotation(executionId: number, annotation: Annotation, kept: boolean): Promise<void>;
  /** One page of the execution's kept annotations, in the order reported, and how many are kept in all. */
  listAnnotations(
    executionId: number,
    page: { limit: number; offset: number },
  ): Promise<{ annotations: AnnotationRecord[]; kept_count: number }>;
  /** Stores or replaces one step's Markdown summary. */
  saveStepSummary(executionId: number, summary: StepSummary): Promise<void>;
  listStepSummaries(executionId: number): Promise<StepSummary[]>;

  close(): Promise<void>;
}
