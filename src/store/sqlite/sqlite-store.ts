// Owns SqliteStore: the Store interface over one SQLite database, delegating to per-table parts.
import type BetterSqlite3 from 'better-sqlite3';
import type { ArtifactRecord } from '../../core/artifact.js';
import type { ExecutionPatch, ExecutionRecord, ExecutionStatus, NewExecution } from '../../core/execution.js';
import type { LogLine } from '../../core/log-line.js';
import type { StepRecord, StepState } from '../../core/step.js';
import type {
  ArtifactFilter,
  ExecutionFilter,
  ExecutionPage,
  ExecutionStatistics,
  LogPage,
  LogQuery,
  NewArtifact,
  Store,
  StoreFigures,
} from '../store.js';
import { SqliteArtifacts } from './sqlite-artifacts.js';
import { SqliteExecutions } from './sqlite-executions.js';
import { SqliteLogs } from './sqlite-logs.js';
import { SqliteMaintenance } from './sqlite-maintenance.js';
import { SqliteRunner } from './sqlite-runner.js';
import { SqliteSteps } from './sqlite-steps.js';

/**
 * The SQLite Store. better-sqlite3 is synchronous, so each method does its work before
 * returning a settled promise; SQLite errors (SQLITE_FULL, SQLITE_IOERR, …) reject it.
 */
export class SqliteStore implements Store {
  readonly #db: BetterSqlite3.Database;
  readonly #executions: SqliteExecutions;
  readonly #steps: SqliteSteps;
  readonly #logs: SqliteLogs;
  readonly #artifacts: SqliteArtifacts;
  readonly #maintenance: SqliteMaintenance;

  constructor(db: BetterSqlite3.Database, databaseFile: string) {
    const runner = new SqliteRunner(db);
    this.#db = db;
    this.#executions = new SqliteExecutions(runner);
    this.#steps = new SqliteSteps(runner);
    this.#logs = new SqliteLogs(runner);
    this.#artifacts = new SqliteArtifacts(runner);
    this.#maintenance = new SqliteMaintenance(runner, databaseFile);
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

  async ping(): Promise<void> {
    this.#maintenance.ping();
  }
  async figures(): Promise<StoreFigures> {
    return this.#maintenance.figures();
  }
  async optimize(): Promise<string[]> {
    return this.#maintenance.optimize();
  }
  /** Checkpoints the WAL into the database file and closes the connection; later calls do nothing. */
  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#maintenance.checkpoint();
    this.#db.close();
  }
}
