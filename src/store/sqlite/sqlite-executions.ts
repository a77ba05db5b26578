// Owns execution rows in SQLite: create, read, patch, list with filters, delete and statistics.
import { sql, type SelectQueryBuilder } from 'kysely';
import {
  EXECUTION_STATUSES,
  TERMINAL_STATUSES,
  type ExecutionPatch,
  type ExecutionRecord,
  type ExecutionStatus,
  type NewExecution,
} from '../../core/execution.js';
import type { ExecutionFilter, ExecutionPage, ExecutionStatistics } from '../store.js';
import { ExecutionPageStatements } from './execution-page-statements.js';
import { hasExecutionFilter, matchExecutions } from '../match-executions.js';
import { orderExecutions } from './order-executions.js';
import { toExecutionInsert, toExecutionRecord } from '../row-mappers.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { SqliteTables } from './sqlite-tables.js';

/** Execution persistence over one SQLite connection. */
export class SqliteExecutions {
  readonly #sqlite: SqliteConnection;
  /**
   * Exact count of all execution rows, kept up to date by create and delete (the only writers of
   * that table) once first counted: COUNT(*) over 100,000 rows costs ~1 ms per unfiltered list.
   */
  #total: number | null = null;
  readonly #unfilteredPages: ExecutionPageStatements;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
    this.#unfilteredPages = new ExecutionPageStatements(sqlite.db, sqlite.builder);
  }

  /** Inserts a pending execution and its tag rows in one transaction. */
  create(input: NewExecution, createdAt: number): ExecutionRecord {
    const { builder } = this.#sqlite;
    const created = this.#sqlite.transaction(() => {
      const row = this.#sqlite.first(
        builder.insertInto('executions').values(toExecutionInsert(input, createdAt)).returningAll(),
      );
      if (row === null) throw new Error('INSERT … RETURNING gave no execution row');
      const tags = [...new Set(input.tags)].map((tag) => ({ execution_id: row.id, tag }));
      if (tags.length > 0) this.#sqlite.run(builder.insertInto('execution_tags').values(tags));
      return toExecutionRecord(row);
    });
    if (this.#total !== null) this.#total++;
    return created;
  }

  /** The execution with this id, or null. */
  get(id: number): ExecutionRecord | null {
    const row = this.#sqlite.first(this.#sqlite.builder.selectFrom('executions').selectAll().where('id', '=', id));
    return row === null ? null : toExecutionRecord(row);
  }

  /** Applies the fields present in the patch; a missing id changes nothing. */
  update(id: number, patch: ExecutionPatch): void {
    const { metadata, ...columns } = patch;
    const values = metadata === undefined ? columns : { ...columns, metadata: JSON.stringify(metadata) };
    if (Object.values(values).every((value) => value === undefined)) return;
    this.#sqlite.run(this.#sqlite.builder.updateTable('executions').set(values).where('id', '=', id));
  }

  /** One page of matching executions in the requested order (newest first by default), with the exact count of all matches. */
  list(filter: ExecutionFilter): ExecutionPage {
    const { builder } = this.#sqlite;
    if (!hasExecutionFilter(filter)) {
      // No WHERE at all when unfiltered: SQLite then counts from the b-tree without visiting rows,
      // while even `WHERE 1 = 1` forces a scan (~1 ms per 100k rows).
      return {
        executions: this.#unfilteredPages.page(filter).map(toExecutionRecord),
        total_count: (this.#total ??= this.#count(builder.selectFrom('executions'))),
      };
    }
    const matching = builder.selectFrom('executions').where((eb) => matchExecutions(eb, filter, 'LIKE'));
    const rows = this.#sqlite.all(
      orderExecutions(matching.selectAll(), filter).limit(filter.limit).offset(filter.offset),
    );
    return { executions: rows.map(toExecutionRecord), total_count: this.#count(matching) };
  }

  #count(matching: SelectQueryBuilder<SqliteTables, 'executions', object>): number {
    return this.#sqlite.first(matching.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
  }

  /** Executions in any of these statuses, oldest first. */
  listByStatus(statuses: readonly ExecutionStatus[]): ExecutionRecord[] {
    if (statuses.length === 0) return [];
    const query = this.#sqlite.builder
      .selectFrom('executions')
      .selectAll()
      .where('status', 'in', [...statuses])
      .orderBy('id', 'asc');
    return this.#sqlite.all(query).map(toExecutionRecord);
  }

  /** Deletes the execution and everything hanging off it in one transaction. */
  delete(id: number): boolean {
    const { builder } = this.#sqlite;
    const deleted = this.#sqlite.transaction(() => {
      // Children first and explicitly, so the result does not depend on foreign_keys being on.
      this.#sqlite.run(builder.deleteFrom('log_lines').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('log_chunks').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('log_chunk_grams').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('artifacts').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('annotations').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('step_summaries').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('steps').where('execution_id', '=', id));
      this.#sqlite.run(builder.deleteFrom('execution_tags').where('execution_id', '=', id));
      return this.#sqlite.run(builder.deleteFrom('executions').where('id', '=', id)) > 0;
    });
    if (deleted && this.#total !== null) this.#total--;
    return deleted;
  }

  /** Totals over every execution row, computed by one aggregate query. */
  statistics(): ExecutionStatistics {
    const timed = sql`status IN (${sql.join([...TERMINAL_STATUSES])}) AND started_at IS NOT NULL AND completed_at IS NOT NULL`;
    const rows = this.#sqlite.all(
      this.#sqlite.builder
        .selectFrom('executions')
        .select((eb) => [
          'status',
          eb.fn.countAll<number>().as('n'),
          sql<number | null>`SUM(CASE WHEN ${timed} THEN completed_at - started_at END)`.as('duration_ms'),
          sql<number>`COUNT(CASE WHEN ${timed} THEN 1 END)`.as('timed'),
        ])
        .groupBy('status'),
    );
    const byStatus = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
    let durationMs = 0;
    let timedCount = 0;
    for (const row of rows) {
      byStatus[row.status as ExecutionStatus] = row.n;
      durationMs += row.duration_ms ?? 0;
      timedCount += row.timed;
    }
    const finished = byStatus.completed + byStatus.failed + byStatus.cancelled;
    return {
      total_executions: EXECUTION_STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
      by_status: byStatus,
      active_now: byStatus.running + byStatus.pending,
      success_rate: finished === 0 ? 0 : Math.round((byStatus.completed / finished) * 10000) / 100,
      avg_duration: timedCount === 0 ? 0 : durationMs / timedCount / 1000,
    };
  }
}
