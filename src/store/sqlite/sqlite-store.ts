// Owns SqliteStore: the Store interface over one SQLite database, delegating to per-table parts.
import type BetterSqlite3 from 'better-sqlite3';
import type { ApiKeyRecord, NewApiKey, SessionRecord } from '../../core/api-key.js';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { AuditEntry, NewAuditEntry } from '../../core/audit-entry.js';
import { errorCode } from '../../core/error-code.js';
import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NewExecution } from '../../core/execution.js';
import type { LogLine } from '../../core/log-line.js';
import type { StepRecord, StepState } from '../../core/step.js';
import type {
  ArtifactFilter,
  AuditFilter,
  ExecutionFilter,
  ExecutionPage,
  ExecutionStatistics,
  LogPage,
  LogQuery,
  LogSearchPage,
  LogSearchQuery,
  NewArtifact,
  StepSummary,
  Store,
  StoreFigures,
} from '../store.js';
import type { Annotation, AnnotationRecord } from '../../core/annotation.js';
import { SqliteAnnotations } from './sqlite-annotations.js';
import { SqliteArtifacts } from './sqlite-artifacts.js';
import { SqliteAgents } from './sqlite-agents.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteAuth } from './sqlite-auth.js';
import { SqliteExecutions } from './sqlite-executions.js';
import { SqliteLogs } from './sqlite-logs.js';
import { SqliteMaintenance } from './sqlite-maintenance.js';
import { SqliteRetention } from './sqlite-retention.js';
import { SqliteConnection } from './sqlite-connection.js';
import { runSearchWorker } from '../log-chunks/run-search-worker.js';
import { SqliteSteps } from './sqlite-steps.js';

/**
 * The SQLite Store. better-sqlite3 is synchronous, so each method does its work before
 * returning a settled promise; SQLite errors (SQLITE_FULL, SQLITE_IOERR, …) reject it.
 */
export class SqliteStore implements Store {
  readonly #db: BetterSqlite3.Database;
  readonly #file: string;
  readonly #executions: SqliteExecutions;
  readonly #steps: SqliteSteps;
  readonly #annotations: SqliteAnnotations;
  readonly #logs: SqliteLogs;
  readonly #artifacts: SqliteArtifacts;
  readonly #maintenance: SqliteMaintenance;
  readonly #retention: SqliteRetention;
  readonly #auth: SqliteAuth;
  readonly #audit: SqliteAudit;
  readonly agents: SqliteAgents;

  constructor(db: BetterSqlite3.Database, databaseFile: string) {
    const runner = new SqliteConnection(db);
    this.#db = db;
    this.#file = databaseFile;
    this.#executions = new SqliteExecutions(runner);
    this.#steps = new SqliteSteps(runner);
    this.#annotations = new SqliteAnnotations(runner);
    this.#logs = new SqliteLogs(runner);
    this.#artifacts = new SqliteArtifacts(runner);
    this.#maintenance = new SqliteMaintenance(runner, databaseFile);
    this.#retention = new SqliteRetention(runner);
    this.#auth = new SqliteAuth(runner);
    this.#audit = new SqliteAudit(runner);
    this.agents = new SqliteAgents(runner);
  }

  async createExecution(input: NewExecution, createdAt: number): Promise<ExecutionRecord> {
    return this.#executions.create(input, createdAt);
  }
  async getExecution(id: number): Promise<ExecutionRecord | null> {
    return this.#executions.get(id);
  }
  async updateExecution(id: number, patch: ExecutionPatch): Promise<void> {
    this.#executions.update(id, patch);
  }
  async listExecutions(filter: ExecutionFilter): Promise<ExecutionPage> {
    return this.#executions.list(filter);
  }
  async listExecutionsByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]> {
    return this.#executions.listByStatus(statuses);
  }
  async deleteExecution(id: number): Promise<boolean> {
    this.#logs.forget(id);
    return this.#executions.delete(id);
  }
  async statistics(): Promise<ExecutionStatistics> {
    return this.#executions.statistics();
  }

  async saveStep(executionId: number, step: StepState): Promise<StepRecord> {
    return this.#steps.save(executionId, step);
  }
  async listSteps(executionId: number): Promise<StepRecord[]> {
    return this.#steps.list(executionId);
  }

  async appendLogLines(executionId: number, lines: readonly LogLine[]): Promise<void> {
    this.#logs.append(executionId, lines);
  }
  async readLogLines(executionId: number, query: LogQuery): Promise<LogPage> {
    return this.#logs.read(executionId, query);
  }
  async lastLogLine(executionId: number): Promise<number> {
    return this.#logs.last(executionId);
  }
  async sealLog(executionId: number): Promise<void> {
    this.#logs.seal(executionId);
  }
  async sealLogBacklog(maxLines: number): Promise<number> {
    return this.#logs.sealBacklog(maxLines);
  }
  async sealLiveLogs(maxLines: number): Promise<number> {
    return this.#logs.sealLive(maxLines);
  }
  async searchLogs(query: LogSearchQuery): Promise<LogSearchPage> {
    return runSearchWorker(
      { source: new URL('./search-logs-worker.ts', import.meta.url), bundle: 'search-worker.mjs' },
      { file: this.#file },
      query,
      (id) => this.#executions.get(id),
    );
  }

  async saveAnnotation(executionId: number, annotation: Annotation, kept: boolean): Promise<void> {
    this.#annotations.save(executionId, annotation, kept);
  }
  async listAnnotations(
    executionId: number,
    page: { limit: number; offset: number },
  ): Promise<{ annotations: AnnotationRecord[]; kept_count: number }> {
    return this.#annotations.list(executionId, page.limit, page.offset);
  }
  async saveStepSummary(executionId: number, summary: StepSummary): Promise<void> {
    this.#annotations.saveSummary(executionId, summary);
  }
  async listStepSummaries(executionId: number): Promise<StepSummary[]> {
    return this.#annotations.listSummaries(executionId);
  }

  async createArtifact(input: NewArtifact): Promise<ArtifactRecord> {
    return this.#artifacts.create(input);
  }
  async getArtifact(id: number): Promise<ArtifactRecord | null> {
    return this.#artifacts.get(id);
  }
  async listArtifacts(filter: ArtifactFilter): Promise<{ artifacts: ArtifactRecord[]; total_count: number }> {
    return this.#artifacts.list(filter);
  }
  async deleteArtifact(id: number): Promise<boolean> {
    return this.#artifacts.delete(id);
  }

  async createApiKey(input: NewApiKey): Promise<ApiKeyRecord> {
    return this.#auth.createKey(input);
  }
  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.#auth.listKeys();
  }
  async findApiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.#auth.findKey(keyHash);
  }
  async revokeApiKey(idOrName: number | string, revokedAt: number): Promise<ApiKeyRecord | null> {
    return this.#auth.revokeKey(idOrName, revokedAt);
  }
  async createSession(session: SessionRecord): Promise<void> {
    this.#auth.createSession(session);
  }
  async findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    return this.#auth.findSession(tokenHash, now);
  }
  async deleteSession(tokenHash: string): Promise<void> {
    this.#auth.deleteSession(tokenHash);
  }
  async deleteExpiredSessions(now: number): Promise<number> {
    return this.#auth.deleteExpiredSessions(now);
  }
  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.#audit.append(entry);
  }
  async listAudit(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total_count: number }> {
    return this.#audit.list(filter);
  }

  async ping(): Promise<void> {
    this.#maintenance.ping();
  }
  async figures(): Promise<StoreFigures> {
    return this.#maintenance.figures();
  }
  async listRetentionCandidates(rule: {
    finishedBefore: number | null;
    keepNewest: number | null;
    limit: number;
  }): Promise<number[]> {
    return this.#retention.candidates(rule);
  }
  async deleteLogLines(executionId: number, throughLine: number): Promise<number> {
    return this.#logs.deleteThrough(executionId, throughLine);
  }
  async optimize(): Promise<string[]> {
    return this.#maintenance.optimize();
  }
  /** Checkpoints the WAL into the database file and closes the connection; later calls do nothing. */
  async close(): Promise<void> {
    if (!this.#db.open) return;
    try {
      this.#maintenance.checkpoint();
    } catch (error) {
      // On a full disk the checkpoint cannot grow the database file; the WAL keeps every commit and is checkpointed at the next open.
      if (errorCode(error) !== 'SQLITE_FULL') throw error;
    } finally {
      this.#db.close();
    }
  }
}
