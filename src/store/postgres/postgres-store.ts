// Owns PostgresStore: the Store interface over one PostgreSQL database through a pg pool, delegating to per-table parts.
import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { Annotation, AnnotationRecord } from '../../core/annotation.js';
import type { ApiKeyRecord, NewApiKey, SessionRecord } from '../../core/api-key.js';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { AuditEntry, NewAuditEntry } from '../../core/audit-entry.js';
import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NewExecution } from '../../core/execution.js';
import type { LogLine } from '../../core/log-line.js';
import type { StepRecord, StepState } from '../../core/step.js';
import { runSearchWorker } from '../log-chunks/run-search-worker.js';
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
import { PostgresAnnotations } from './postgres-annotations.js';
import { PostgresArtifacts } from './postgres-artifacts.js';
import { PostgresAgents } from './postgres-agents.js';
import { PostgresAudit } from './postgres-audit.js';
import { PostgresAuth } from './postgres-auth.js';
import { PostgresExecutions } from './postgres-executions.js';
import { PostgresLogs } from './postgres-logs.js';
import { PostgresMaintenance } from './postgres-maintenance.js';
import { PostgresRetention } from './postgres-retention.js';
import { PostgresSteps } from './postgres-steps.js';
import type { PgTables } from './postgres-tables.js';

/** The PostgreSQL Store: every method is one or a few statements on pooled connections; errors reject. */
export class PostgresStore implements Store {
  readonly #db: Kysely<PgTables>;
  readonly #executions: PostgresExecutions;
  readonly #steps: PostgresSteps;
  readonly #annotations: PostgresAnnotations;
  readonly #logs: PostgresLogs;
  readonly #artifacts: PostgresArtifacts;
  readonly #maintenance: PostgresMaintenance;
  readonly #retention: PostgresRetention;
  readonly #auth: PostgresAuth;
  readonly #audit: PostgresAudit;
  readonly agents: PostgresAgents;
  #closed = false;

  readonly #url: string;

  constructor(db: Kysely<PgTables>, pool: Pool, poolMax: number, url: string) {
    this.#db = db;
    this.#url = url;
    this.#executions = new PostgresExecutions(db);
    this.#steps = new PostgresSteps(db);
    this.#annotations = new PostgresAnnotations(db);
    this.#logs = new PostgresLogs(db, pool);
    this.#artifacts = new PostgresArtifacts(db);
    this.#maintenance = new PostgresMaintenance(pool, poolMax);
    this.#retention = new PostgresRetention(pool);
    this.#auth = new PostgresAuth(db);
    this.#audit = new PostgresAudit(db);
    this.agents = new PostgresAgents(pool);
  }

  createExecution(input: NewExecution, createdAt: number): Promise<ExecutionRecord> {
    return this.#executions.create(input, createdAt);
  }
  getExecution(id: number): Promise<ExecutionRecord | null> {
    return this.#executions.get(id);
  }
  updateExecution(id: number, patch: ExecutionPatch): Promise<void> {
    return this.#executions.update(id, patch);
  }
  listExecutions(filter: ExecutionFilter): Promise<ExecutionPage> {
    return this.#executions.list(filter);
  }
  listExecutionsByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]> {
    return this.#executions.listByStatus(statuses);
  }
  deleteExecution(id: number): Promise<boolean> {
    this.#logs.forget(id);
    return this.#executions.delete(id);
  }
  statistics(): Promise<ExecutionStatistics> {
    return this.#executions.statistics();
  }

  saveStep(executionId: number, step: StepState): Promise<StepRecord> {
    return this.#steps.save(executionId, step);
  }
  listSteps(executionId: number): Promise<StepRecord[]> {
    return this.#steps.list(executionId);
  }

  saveAnnotation(executionId: number, annotation: Annotation, kept: boolean): Promise<void> {
    return this.#annotations.save(executionId, annotation, kept);
  }
  listAnnotations(
    executionId: number,
    page: { limit: number; offset: number },
  ): Promise<{ annotations: AnnotationRecord[]; kept_count: number }> {
    return this.#annotations.list(executionId, page.limit, page.offset);
  }
  saveStepSummary(executionId: number, summary: StepSummary): Promise<void> {
    return this.#annotations.saveSummary(executionId, summary);
  }
  listStepSummaries(executionId: number): Promise<StepSummary[]> {
    return this.#annotations.listSummaries(executionId);
  }

  appendLogLines(executionId: number, lines: readonly LogLine[]): Promise<void> {
    return this.#logs.append(executionId, lines);
  }
  readLogLines(executionId: number, query: LogQuery): Promise<LogPage> {
    return this.#logs.read(executionId, query);
  }
  lastLogLine(executionId: number): Promise<number> {
    return this.#logs.last(executionId);
  }
  sealLog(executionId: number): Promise<void> {
    return this.#logs.seal(executionId);
  }
  sealLogBacklog(maxLines: number): Promise<number> {
    return this.#logs.sealBacklog(maxLines);
  }
  sealLiveLogs(maxLines: number): Promise<number> {
    return this.#logs.sealLive(maxLines);
  }
  searchLogs(query: LogSearchQuery): Promise<LogSearchPage> {
    const entry = {
      source: new URL('./search-postgres-worker.ts', import.meta.url),
      bundle: 'search-postgres-worker.mjs',
    };
    return runSearchWorker(entry, { url: this.#url }, query, (id) => this.#executions.get(id));
  }

  createArtifact(input: NewArtifact): Promise<ArtifactRecord> {
    return this.#artifacts.create(input);
  }
  getArtifact(id: number): Promise<ArtifactRecord | null> {
    return this.#artifacts.get(id);
  }
  listArtifacts(filter: ArtifactFilter): Promise<{ artifacts: ArtifactRecord[]; total_count: number }> {
    return this.#artifacts.list(filter);
  }
  deleteArtifact(id: number): Promise<boolean> {
    return this.#artifacts.delete(id);
  }

  createApiKey(input: NewApiKey): Promise<ApiKeyRecord> {
    return this.#auth.createKey(input);
  }
  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.#auth.listKeys();
  }
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    return this.#auth.findKey(keyHash);
  }
  revokeApiKey(idOrName: number | string, revokedAt: number): Promise<ApiKeyRecord | null> {
    return this.#auth.revokeKey(idOrName, revokedAt);
  }
  createSession(session: SessionRecord): Promise<void> {
    return this.#auth.createSession(session);
  }
  findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    return this.#auth.findSession(tokenHash, now);
  }
  deleteSession(tokenHash: string): Promise<void> {
    return this.#auth.deleteSession(tokenHash);
  }
  deleteExpiredSessions(now: number): Promise<number> {
    return this.#auth.deleteExpiredSessions(now);
  }
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.#audit.append(entry);
  }
  listAudit(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total_count: number }> {
    return this.#audit.list(filter);
  }

  listRetentionCandidates(rule: {
    finishedBefore: number | null;
    keepNewest: number | null;
    limit: number;
  }): Promise<number[]> {
    return this.#retention.candidates(rule);
  }
  deleteLogLines(executionId: number, throughLine: number): Promise<number> {
    return this.#logs.deleteThrough(executionId, throughLine);
  }

  ping(): Promise<void> {
    return this.#maintenance.ping();
  }
  figures(): Promise<StoreFigures> {
    return this.#maintenance.figures();
  }
  optimize(): Promise<string[]> {
    return this.#maintenance.optimize();
  }
  /** Ends every pooled connection once in-flight queries finish; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.destroy();
  }
}
