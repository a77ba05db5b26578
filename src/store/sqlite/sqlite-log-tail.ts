// Owns log_lines in SQLite, each log's live tail (and the whole log in databases not yet sealed): batched inserts and range reads.
import type BetterSqlite3 from 'better-sqlite3';
import { TERMINAL_STATUSES } from '../../core/execution.js';
import type { LogLine } from '../../core/log-line.js';
import type { LogPage, LogQuery } from '../store.js';
import { encodeStream, toLogLine } from '../row-mappers.js';
import type { SqliteConnection } from './sqlite-connection.js';
import type { LogLinesRow } from '../table-rows.js';

const ENDED = TERMINAL_STATUSES.map((status) => `'${status}'`).join(', ');
const ROWS_PER_STATEMENT = 100;
const COLUMNS = 6;
const INSERT_PREFIX = 'INSERT INTO log_lines (execution_id, line, ts, stream, step_index, content) VALUES ';

/** Row-per-line storage of log lines over one SQLite connection. */
export class SqliteLogTail {
  readonly #sqlite: SqliteConnection;
  readonly #insertMany: BetterSqlite3.Statement;
  readonly #insertOne: BetterSqlite3.Statement;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
    // Hand-written and prepared once: a 100-row statement is ~2x faster per line than single rows.
    this.#insertMany = sqlite.db.prepare(INSERT_PREFIX + Array(ROWS_PER_STATEMENT).fill('(?,?,?,?,?,?)').join(','));
    this.#insertOne = sqlite.db.prepare(INSERT_PREFIX + '(?,?,?,?,?,?)');
  }

  /** Inserts the lines; the caller holds the transaction. */
  insert(executionId: number, lines: readonly LogLine[]): void {
    insertLines(this.#insertMany, this.#insertOne, executionId, lines);
  }

  /** The first `limit` lines after line `after`, in order. */
  linesAfter(executionId: number, after: number, limit: number): LogLine[] {
    const rows = this.#sqlite
      .prepare(
        'SELECT line, ts, stream, step_index, content FROM log_lines WHERE execution_id = ? AND line > ? ORDER BY line LIMIT ?',
      )
      .all(executionId, after, limit) as LogLinesRow[];
    return rows.map(toLogLine);
  }

  /** Deletes the lines numbered up to `throughLine`; returns how many. */
  deleteThrough(executionId: number, throughLine: number): number {
    return this.#sqlite
      .prepare('DELETE FROM log_lines WHERE execution_id = ? AND line <= ?')
      .run(executionId, throughLine).changes;
  }

  /** The lowest id of an ended (finished) execution with lines still in the tail, or null. */
  firstEndedWithTail(): number | null {
    const row = this.#sqlite
      .prepare(
        `SELECT e.id FROM executions AS e WHERE e.status IN (${ENDED}) AND EXISTS (SELECT 1 FROM log_lines AS l WHERE l.execution_id = e.id) ORDER BY e.id LIMIT 1`,
      )
      .get() as { id: number } | undefined;
    return row?.id ?? null;
  }

  /** Highest stored line number of the execution (a primary-key seek), 0 when none. */
  last(executionId: number): number {
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .selectFrom('log_lines')
        .select((eb) => eb.fn.max('line').as('last'))
        .where('execution_id', '=', executionId),
    );
    return row?.last ?? 0;
  }

  /** One page of the tail lines matching the query; `offset` counts matching tail lines. */
  read(executionId: number, query: LogQuery): LogPage {
    if (query.step_index === null) return this.#readOutsideSteps(executionId, query);
    let matching = this.#sqlite.builder.selectFrom('log_lines').where('execution_id', '=', executionId);
    if (query.step_index !== undefined) {
      const range = this.#stepRange(executionId, query.step_index);
      if (range === null) return { lines: [], total: 0 };
      matching = matching.where('line', '>=', range.from).where('step_index', '=', query.step_index);
      if (range.to !== null) matching = matching.where('line', '<=', range.to);
    }
    if (query.stream !== undefined) matching = matching.where('stream', '=', encodeStream(query.stream));
    const rows = this.#sqlite.all(
      matching
        .select(['line', 'ts', 'stream', 'step_index', 'content'])
        .orderBy('line', 'asc')
        .limit(query.limit)
        .offset(query.offset),
    );
    const counted = this.#sqlite.first(matching.select((eb) => eb.fn.countAll<number>().as('n')));
    return { lines: rows.map(toLogLine), total: counted?.n ?? 0 };
  }

  /**
   * Lines outside every step, through the partial index that holds only those lines. Hand-written
   * because Kysely has no INDEXED BY, and without statistics SQLite would pick the primary key
   * and scan the whole log.
   */
  #readOutsideSteps(executionId: number, query: LogQuery): LogPage {
    const where = `execution_id = ? AND step_index IS NULL${query.stream === undefined ? '' : ' AND stream = ?'}`;
    const params = query.stream === undefined ? [executionId] : [executionId, encodeStream(query.stream)];
    const from = `FROM log_lines INDEXED BY log_lines_outside_steps WHERE ${where}`;
    const rows = this.#sqlite
      .prepare(`SELECT line, ts, stream, step_index, content ${from} ORDER BY line LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as LogLinesRow[];
    const counted = this.#sqlite.prepare(`SELECT COUNT(*) AS n ${from}`).get(...params) as { n: number };
    return { lines: rows.map(toLogLine), total: counted.n };
  }

  /** The line numbers that can hold the step's lines; null when the step has none yet. */
  #stepRange(executionId: number, stepIndex: number): { from: number; to: number | null } | null {
    const step = this.#sqlite.first(
      this.#sqlite.builder
        .selectFrom('steps')
        .select(['first_line', 'last_line', 'status'])
        .where('execution_id', '=', executionId)
        .where('idx', '=', stepIndex),
    );
    if (step === null || step.first_line === null) return null;
    // A running step's last_line may lag the lines already appended, so leave it open-ended.
    const open = step.status === 'running' || step.status === 'pending' || step.last_line === null;
    return { from: step.first_line, to: open ? null : step.last_line };
  }
}

/** Binds the lines into 100-row statements, then single rows for the remainder. */
function insertLines(
  insertMany: BetterSqlite3.Statement,
  insertOne: BetterSqlite3.Statement,
  executionId: number,
  lines: readonly LogLine[],
): void {
  const params: unknown[] = new Array(ROWS_PER_STATEMENT * COLUMNS);
  const whole = lines.length - (lines.length % ROWS_PER_STATEMENT);
  for (let start = 0; start < whole; start += ROWS_PER_STATEMENT) {
    for (let i = 0; i < ROWS_PER_STATEMENT; i++) {
      const l = lines[start + i] as LogLine;
      const p = i * COLUMNS;
      params[p] = executionId;
      params[p + 1] = l.line;
      params[p + 2] = l.ts;
      params[p + 3] = encodeStream(l.stream);
      params[p + 4] = l.step_index;
      params[p + 5] = l.content;
    }
    insertMany.run(params);
  }
  for (let i = whole; i < lines.length; i++) {
    const l = lines[i] as LogLine;
    insertOne.run(executionId, l.line, l.ts, encodeStream(l.stream), l.step_index, l.content);
  }
}
