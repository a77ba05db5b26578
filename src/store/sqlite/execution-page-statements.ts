// Owns the hot path of the execution list: the unfiltered page, prepared once per order and read as raw tuples.
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import type { ExecutionFilter } from '../store.js';
import { orderExecutions } from './order-executions.js';
import type { ExecutionsRow } from '../table-rows.js';
import type { SqliteTables } from './sqlite-tables.js';

type ExecutionRow = Selectable<ExecutionsRow>;

/** The columns of `executions` the page query selects, in this order; toRow reads each one, so none can be missing. */
const COLUMNS = [
  'id',
  'name',
  'command',
  'command_text',
  'working_directory',
  'environment',
  'tags',
  'metadata',
  'user',
  'timeout_seconds',
  'status',
  'exit_code',
  'error_message',
  'created_at',
  'started_at',
  'completed_at',
  'total_steps',
  'completed_steps',
  'current_step_index',
  'pid',
  'failed_steps',
  'host',
  'runs_on',
  'agent',
  'markers',
  'annotation_errors',
  'annotation_warnings',
  'annotation_notices',
  'cancel_requested',
] as const satisfies ReadonlyArray<keyof ExecutionsRow>;

/** Index of each column in a tuple of the page query. */
const AT = Object.fromEntries(COLUMNS.map((column, i) => [column, i])) as Record<(typeof COLUMNS)[number], number>;

/** A row object from a tuple; an object literal of one shape, which V8 builds far cheaper than the driver does. */
function toRow(t: readonly unknown[]): ExecutionRow {
  return {
    id: t[AT.id] as number,
    name: t[AT.name] as string,
    command: t[AT.command] as string,
    command_text: t[AT.command_text] as string,
    working_directory: t[AT.working_directory] as string,
    environment: t[AT.environment] as string,
    tags: t[AT.tags] as string,
    metadata: t[AT.metadata] as string,
    user: t[AT.user] as string | null,
    timeout_seconds: t[AT.timeout_seconds] as number | null,
    status: t[AT.status] as string,
    exit_code: t[AT.exit_code] as number | null,
    error_message: t[AT.error_message] as string | null,
    created_at: t[AT.created_at] as number,
    started_at: t[AT.started_at] as number | null,
    completed_at: t[AT.completed_at] as number | null,
    total_steps: t[AT.total_steps] as number,
    completed_steps: t[AT.completed_steps] as number,
    current_step_index: t[AT.current_step_index] as number | null,
    pid: t[AT.pid] as number | null,
    failed_steps: t[AT.failed_steps] as number,
    host: t[AT.host] as string | null,
    runs_on: t[AT.runs_on] as string,
    agent: t[AT.agent] as string | null,
    markers: t[AT.markers] as string | null,
    annotation_errors: t[AT.annotation_errors] as number,
    annotation_warnings: t[AT.annotation_warnings] as number,
    annotation_notices: t[AT.annotation_notices] as number,
    cancel_requested: t[AT.cancel_requested] as number,
  };
}

/**
 * Serves `SELECT * FROM executions ORDER BY … LIMIT ? OFFSET ?`, the dashboard's and the API's default list, without
 * building and compiling the Kysely query per call, and in better-sqlite3's raw mode: the driver's row objects cost
 * about twice its tuples turned into objects here (a page of 10 on the benchmark VM: ~70 against ~45 µs).
 * The statements are its own, since raw mode is a setting of the statement, and there is one per order (at most 10).
 */
export class ExecutionPageStatements {
  readonly #db: BetterSqlite3.Database;
  readonly #builder: Kysely<SqliteTables>;
  readonly #pages = new Map<string, BetterSqlite3.Statement<[number, number], unknown[]>>();

  constructor(db: BetterSqlite3.Database, builder: Kysely<SqliteTables>) {
    this.#db = db;
    this.#builder = builder;
  }

  /** The rows of one page of all executions in the filter's order; the filter's conditions are not looked at. */
  page(filter: ExecutionFilter): ExecutionRow[] {
    return this.#prepare(filter).all(filter.limit, filter.offset).map(toRow);
  }

  #prepare(filter: ExecutionFilter): BetterSqlite3.Statement<[number, number], unknown[]> {
    const key = `${filter.sort ?? 'created_at'} ${filter.order ?? 'desc'}`;
    let page = this.#pages.get(key);
    if (page === undefined) {
      const query = orderExecutions(this.#builder.selectFrom('executions').select(COLUMNS), filter)
        .limit(filter.limit)
        .offset(filter.offset);
      const { sql, parameters } = query.compile();
      // LIMIT and OFFSET must be the only bound values, in that order, for the statement to serve every page.
      if (parameters.length !== 2 || !/ limit \? offset \?$/.test(sql))
        throw new Error(`unexpected execution page query: ${sql}`);
      page = this.#db.prepare<[number, number], unknown[]>(sql).raw(true);
      this.#pages.set(key, page);
    }
    return page;
  }
}
