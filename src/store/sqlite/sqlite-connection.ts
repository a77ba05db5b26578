// Owns how Kysely-built queries run: compiled once, executed synchronously on one better-sqlite3 connection.
import type BetterSqlite3 from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable } from 'kysely';
import type { SqliteTables } from './sqlite-tables.js';

const MAX_CACHED_STATEMENTS = 256;

/**
 * Builds queries with Kysely and runs them synchronously through better-sqlite3.
 *
 * Kysely's own SQLite driver runs transactions across awaits on the single connection, so a
 * raw log insert issued in between would silently join (and roll back with) that transaction.
 * Running every statement synchronously makes each store call, and each `transaction()`, atomic
 * with respect to the event loop, and lets us cache prepared statements.
 */
export class SqliteConnection {
  /** Typed query builder only: its driver can never execute anything. */
  readonly builder: Kysely<SqliteTables>;
  readonly db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database) {
    this.db = db;
    this.builder = new Kysely<SqliteTables>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (kysely) => new SqliteIntrospector(kysely),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
  }

  /** Returns every row the query yields. */
  all<O>(query: Compilable<O>): O[] {
    const { sql, parameters } = query.compile();
    return this.prepare(sql).all(...parameters) as O[];
  }

  /** Returns the first row the query yields, or null. */
  first<O>(query: Compilable<O>): O | null {
    const { sql, parameters } = query.compile();
    return (this.prepare(sql).get(...parameters) as O | undefined) ?? null;
  }

  /** Runs a statement that returns no rows; returns how many rows it changed. */
  run(query: Compilable<unknown>): number {
    const { sql, parameters } = query.compile();
    return this.prepare(sql).run(...parameters).changes;
  }

  /** Runs `fn` in one SQLite transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** A cached prepared statement for this SQL text. */
  prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      // Filter combinations and IN-list lengths bound the distinct texts; the cap guards the rest.
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear();
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
