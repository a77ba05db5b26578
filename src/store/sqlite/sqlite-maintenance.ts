// Owns database-level operations on SQLite: liveness probe, size and row figures, optimisation.
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { errorCode } from '../../core/error-code.js';
import type { SqliteStoreFigures } from '../store.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** Health and housekeeping for one SQLite database file. */
export class SqliteMaintenance {
  readonly #sqlite: SqliteConnection;
  readonly #databaseFile: string;

  constructor(sqlite: SqliteConnection, databaseFile: string) {
    this.#sqlite = sqlite;
    this.#databaseFile = databaseFile;
  }

  /** Runs `SELECT 1`; throws when the connection is unusable. */
  ping(): void {
    this.#sqlite.prepare('SELECT 1').get();
  }

  /** Size, pragmas and row counts of the database. */
  figures(): SqliteStoreFigures {
    const { db, builder } = this.#sqlite;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const count = (table: 'executions' | 'steps' | 'artifacts'): number =>
      this.#sqlite.first(builder.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
    const created = this.#sqlite.first(
      builder
        .selectFrom('executions')
        .select((eb) => [eb.fn.min('created_at').as('oldest'), eb.fn.max('created_at').as('newest')]),
    );
    return {
      backend: 'sqlite',
      size_bytes: pageSize * pageCount,
      wal_bytes: fileSize(`${this.#databaseFile}-wal`),
      journal_mode: db.pragma('journal_mode', { simple: true }) as string,
      page_size: pageSize,
      cache_size: db.pragma('cache_size', { simple: true }) as number,
      tables: {
        executions: count('executions'),
        steps: count('steps'),
        log_lines: this.#countLogLines(),
        artifacts: count('artifacts'),
      },
      oldest_execution_at: created?.oldest ?? null,
      newest_execution_at: created?.newest ?? null,
    };
  }

  /** PRAGMA optimize, ANALYZE and a truncating WAL checkpoint; returns what ran. */
  optimize(): string[] {
    const { db } = this.#sqlite;
    db.pragma('optimize');
    db.exec('ANALYZE');
    this.checkpoint();
    return ['pragma_optimize', 'analyze', 'wal_checkpoint_truncate'];
  }

  /** Copies the WAL into the database file and truncates the WAL. */
  checkpoint(): void {
    this.#sqlite.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * Lines are numbered contiguously from 1, so each execution's count is its last line (tail or chunk): two
   * index seeks per execution instead of a scan of every stored line.
   */
  #countLogLines(): number {
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .selectFrom('executions as e')
        .select(
          sql<
            number | null
          >`SUM(MAX(COALESCE((SELECT MAX(l.line) FROM log_lines AS l WHERE l.execution_id = e.id), 0), COALESCE((SELECT MAX(c.last_line) FROM log_chunks AS c WHERE c.execution_id = e.id), 0)))`.as(
            'n',
          ),
        ),
    );
    return row?.n ?? 0;
  }
}

/** Size of a file in bytes, 0 when it does not exist. */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0;
    throw error;
  }
}
