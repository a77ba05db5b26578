// Owns execution rows in PostgreSQL: create, read, patch, list with filters, delete and statistics.
import { sql, type Kysely } from 'kysely';
import {
  EXECUTION_STATUSES,
  type ExecutionPatch,
  type ExecutionRecord,
  type ExecutionStatus,
  type NewExecution,
} from '../../core/execution.js';
import type { ExecutionFilter, ExecutionPage, ExecutionStatistics } from '../store.js';
import { matchExecutions } from '../match-executions.js';
import { orderPgExecutions } from './order-pg-executions.js';
import { toExecutionInsert, toExecutionRecord } from '../row-mappers.js';
import type { PgTables } from './postgres-tables.js';

/** Execution persistence over a PostgreSQL pool. */
export class PostgresExecutions {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Inserts a pending execution and its tag rows in one transaction. */
  async create(input: NewExecution, createdAt: number): Promise<ExecutionRecord> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('executions')
        .values(toExecutionInsert(input, createdAt))
        .returningAll()
        .executeTakeFirstOrThrow();
      const tags = [...new Set(input.tags)].map((tag) => ({ execution_id: row.id, tag }));
      if (tags.length > 0) await trx.insertInto('execution_tags').values(tags).execute();
      return toExecutionRecord(row);
    });
  }

  /** The execution with this id, or null. */
  async get(id: number): Promise<ExecutionRecord | null> {
    const row = await this.#db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? null : toExecutionRecord(row);
  }

  /** Applies the fields present in the patch; a missing id changes nothing. */
  async update(id: number, patch: ExecutionPatch): Promise<void> {
    const { metadata, ...columns } = patch;
    const values = metadata === undefined ? columns : { ...columns, metadata: JSON.stringify(metadata) };
    if (Object.values(values).every((value) => value === undefined)) return;
    await this.#db.updateTable('executions').set(values).where('id', '=', id).execute();
  }

  /** One page of matching executions in the requested order, with the exact count of all matches. */
  async list(filter: ExecutionFilter): Promise<ExecutionPage> {
    const matching = this.#db.selectFrom('executions').where((eb) => matchExecutions(eb, filter, 'ILIKE'));
    const [rows, counted] = await Promise.all([
      orderPgExecutions(matching.selectAll(), filter).limit(filter.limit).offset(filter.offset).execute(),
      matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { executions: rows.map(toExecutionRecord), total_count: counted?.n ?? 0 };
  }

  /** Executions in any of these statuses, oldest first. */
  async listByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]> {
    if (statuses.length === 0) return [];
    const rows = await this.#db
      .selectFrom('executions')
      .selectAll()
      .where('status', 'in', [...statuses])
      .orderBy('id', 'asc')
      .execute();
    return rows.map(toExecutionRecord);
  }

  /** Deletes the execution and everything hanging off it in one transaction. */
  async delete(id: number): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      // Children first and explicitly, as the SQLite store does, so the outcome never rests on the cascade alone.
      await trx.deleteFrom('log_lines').where('execution_id', '=', id).execute();
      await trx.deleteFrom('log_chunk_grams').where('execution_id', '=', id).execute();
      await trx.deleteFrom('log_chunks').where('execution_id', '=', id).execute();
      await trx.deleteFrom('artifacts').where('execution_id', '=', id).execute();
      await trx.deleteFrom('annotations').where('execution_id', '=', id).execute();
      await trx.deleteFrom('step_summaries').where('execution_id', '=', id).execute();
      await trx.deleteFrom('steps').where('execution_id', '=', id).execute();
      await trx.deleteFrom('execution_tags').where('execution_id', '=', id).execute();
      const result = await trx.deleteFrom('executions').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  /** Totals over every execution row, computed by one aggregate query. */
  async statistics(): Promise<ExecutionStatistics> {
    const timed = sql`status IN ('completed', 'failed', 'cancelled') AND started_at IS NOT NULL AND completed_at IS NOT NULL`;
    const rows = await this.#db
      .selectFrom('executions')
      .select((eb) => [
        'status',
        eb.fn.countAll<number>().as('n'),
        // SUM of BIGINT is NUMERIC (a string in pg); float8 arrives as a number.
        sql<number | null>`SUM(CASE WHEN ${timed} THEN completed_at - started_at END)::float8`.as('duration_ms'),
        sql<number>`COUNT(CASE WHEN ${timed} THEN 1 END)`.as('timed'),
      ])
      .groupBy('status')
      .execute();
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
