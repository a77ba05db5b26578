// Owns log_lines in PostgreSQL, each log's live tail: the COPY append hot path and range reads by line number.
import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import { TERMINAL_STATUSES } from '../../core/execution.js';
import type { LogLine } from '../../core/log-line.js';
import type { LogPage, LogQuery } from '../store.js';
import { copyLogLines } from './copy-log-lines.js';
import { encodeStream } from '../row-mappers.js';
import { toPgLogLine } from './postgres-row-mappers.js';
import type { PgTables } from './postgres-tables.js';

const LINE_COLUMNS = ['line', 'ts', 'stream', 'step_index', 'content', 'escaped'] as const;

/** Row-per-line storage of the live tail; reads take the connection or transaction to run on. */
export class PostgresLogTail {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Appends the lines with COPY in one transaction (so atomically); lines holding NUL are stored JSON-encoded, since text cannot. */
  async append(executionId: number, lines: readonly LogLine[]): Promise<void> {
    if (lines.length > 0) await copyLogLines(this.#pool, executionId, lines);
  }

  /** Highest stored line number of the execution (a primary-key seek), 0 when none. */
  async last(db: Kysely<PgTables>, executionId: number): Promise<number> {
    const row = await db
      .selectFrom('log_lines')
      .select((eb) => eb.fn.max('line').as('last'))
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    return row?.last ?? 0;
  }

  /** One page of the lines matching the query, read by line-number range, never the whole log. */
  async read(db: Kysely<PgTables>, executionId: number, query: LogQuery): Promise<LogPage> {
    let matching = db.selectFrom('log_lines').where('execution_id', '=', executionId);
    if (query.step_index === null) {
      matching = matching.where('step_index', 'is', null);
    } else if (query.step_index !== undefined) {
      const range = await this.#stepRange(db, executionId, query.step_index);
      if (range === null) return { lines: [], total: 0 };
      matching = matching.where('line', '>=', range.from).where('step_index', '=', query.step_index);
      if (range.to !== null) matching = matching.where('line', '<=', range.to);
    }
    if (query.stream !== undefined) matching = matching.where('stream', '=', encodeStream(query.stream));
    const rows = await matching
      .select(LINE_COLUMNS)
      .orderBy('line', 'asc')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    const counted = await matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return { lines: rows.map(toPgLogLine), total: counted?.n ?? 0 };
  }

  /** The first `limit` lines after line `after`, in order. */
  async linesAfter(db: Kysely<PgTables>, executionId: number, after: number, limit: number): Promise<LogLine[]> {
    const rows = await db
      .selectFrom('log_lines')
      .select(LINE_COLUMNS)
      .where('execution_id', '=', executionId)
      .where('line', '>', after)
      .orderBy('line', 'asc')
      .limit(limit)
      .execute();
    return rows.map(toPgLogLine);
  }

  /** Deletes the lines numbered up to `throughLine`; returns how many. */
  async deleteThrough(db: Kysely<PgTables>, executionId: number, throughLine: number): Promise<number> {
    const result = await db
      .deleteFrom('log_lines')
      .where('execution_id', '=', executionId)
      .where('line', '<=', throughLine)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The lowest id of an ended execution with lines still in the tail, or null. */
  async firstEndedWithTail(db: Kysely<PgTables>): Promise<number | null> {
    const row = await db
      .selectFrom('executions as e')
      .select('e.id')
      .where('e.status', 'in', [...TERMINAL_STATUSES])
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('log_lines as l').select('l.line').whereRef('l.execution_id', '=', 'e.id')),
      )
      .orderBy('e.id', 'asc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The line numbers that can hold the step's lines; null when the step has none yet. */
  async #stepRange(
    db: Kysely<PgTables>,
    executionId: number,
    stepIndex: number,
  ): Promise<{ from: number; to: number | null } | null> {
    const step = await db
      .selectFrom('steps')
      .select(['first_line', 'last_line', 'status'])
      .where('execution_id', '=', executionId)
      .where('idx', '=', stepIndex)
      .executeTakeFirst();
    if (step === undefined || step.first_line === null) return null;
    // A running step's last_line may lag the lines already appended, so leave it open-ended.
    const open = step.status === 'running' || step.status === 'pending' || step.last_line === null;
    return { from: step.first_line, to: open ? null : step.last_line };
  }
}
