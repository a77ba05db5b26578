// Owns writing copied rows into PostgreSQL for `stepflow migrate`: idempotent batches, resume points, counts and identity sequences.
import pg from 'pg';
import type { Store } from '../store.js';
import { openPostgresStore } from './open-postgres-store.js';

/** Tables the migration writes. */
type Table =
  | 'executions'
  | 'execution_tags'
  | 'steps'
  | 'annotations'
  | 'step_summaries'
  | 'log_lines'
  | 'artifacts'
  | 'api_keys'
  | 'sessions'
  | 'audit_log';

/** Tables keyed by an identity `id`. */
const ID_TABLES = ['executions', 'steps', 'annotations', 'artifacts', 'api_keys', 'audit_log'] as const;

/** Writes rows into a migrated PostgreSQL database. */
export interface PostgresRowWriter {
  /** Highest id stored in the table, 0 when empty. */
  maxId(table: (typeof ID_TABLES)[number]): Promise<number>;
  /** Highest stored line of each execution that has lines. */
  lastLines(): Promise<Map<number, number>>;
  /** Inserts rows (SQLite column values) in one statement; rows already there are skipped. */
  insert(table: Table, rows: readonly Record<string, unknown>[]): Promise<void>;
  count(table: Table): Promise<number>;
  /** Moves each identity past the copied ids, so new rows never collide with them. */
  advanceIdentities(): Promise<void>;
  close(): Promise<void>;
}

/** SQLite 0/1 flags and NUL-bearing log text in PostgreSQL's terms. */
function convert(table: Table, row: Record<string, unknown>): Record<string, unknown> {
  if (table === 'steps') return { ...row, stop_on_error: row.stop_on_error === 1, collapsed: row.collapsed === 1 };
  if (table === 'step_summaries') return { ...row, truncated: row.truncated === 1 };
  if (table === 'artifacts') return { ...row, is_public: row.is_public === 1 };
  if (table === 'log_lines') {
    const content = String(row.content);
    const nul = content.includes('\0');
    return { ...row, content: nul ? JSON.stringify(content) : content, escaped: nul };
  }
  return row;
}

/** Opens (creating and migrating the schema) the database at `url`. */
/** Stored log lines, live tails and sealed chunks alike. */
const LOG_LINE_COUNT =
  'SELECT (SELECT COUNT(*) FROM log_lines) + (SELECT COALESCE(SUM(last_line - first_line + 1), 0) FROM log_chunks) AS n';

export async function openPostgresRowWriter(url: string): Promise<PostgresRowWriter> {
  // Opening the store runs the migrations and gives the same start-up errors as `serve`.
  const store: Store = await openPostgresStore({ url, poolSize: 2 });
  await store.close();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const number = async (text: string, values: unknown[] = []): Promise<number> =>
    Number((await pool.query<{ n: string | null }>(text, values)).rows[0]?.n ?? 0);
  return {
    maxId: (table) => number(`SELECT MAX(id) AS n FROM ${table}`),
    async lastLines() {
      // Lines a server already sealed into chunks count as copied too.
      const rows = (
        await pool.query<{ execution_id: string; last: string }>(
          'SELECT execution_id, MAX(last) AS last FROM (SELECT execution_id, MAX(line) AS last FROM log_lines GROUP BY execution_id UNION ALL SELECT execution_id, MAX(last_line) FROM log_chunks GROUP BY execution_id) AS l GROUP BY execution_id',
        )
      ).rows;
      return new Map(rows.map((row) => [Number(row.execution_id), Number(row.last)]));
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      const json = JSON.stringify(rows.map((row) => convert(table, row)));
      await pool.query(
        `INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json) ON CONFLICT DO NOTHING`,
        [json],
      );
    },
    count: (table) => number(table === 'log_lines' ? LOG_LINE_COUNT : `SELECT COUNT(*) AS n FROM ${table}`),
    async advanceIdentities() {
      for (const table of ID_TABLES) {
        await pool.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT MAX(id) FROM ${table}), 1))`,
        );
      }
    },
    close: () => pool.end(),
  };
}
