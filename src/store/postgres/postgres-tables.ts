// Owns the PostgreSQL schema as Kysely sees it: the shared row shapes (store/table-rows.ts) with boolean flags, and
// log lines marked when their content is stored JSON-encoded (int8 columns arrive as numbers).
import type { LogLinesRow, StoreTables } from '../table-rows.js';

/** A row of `log_lines`; `escaped` marks content stored JSON-encoded (it held NUL, which text cannot). */
export interface PgLogLinesTable extends LogLinesRow {
  escaped: boolean;
}

/** The whole PostgreSQL schema, keyed by table name, for the Kysely query builder. */
export type PgTables = Omit<StoreTables<boolean>, 'log_lines'> & { log_lines: PgLogLinesTable };
