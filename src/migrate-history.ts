// Composition for `stepflow migrate`: copies a SQLite history into PostgreSQL, resumable, with every table's count checked at the end.
import {
  openSqliteRowReader,
  type HistoryTable,
  type ID_TABLES,
  type KeyedTable,
  type SqliteRowReader,
} from './store/sqlite/read-sqlite-rows.js';
import { openPostgresRowWriter, type PostgresRowWriter } from './store/postgres/write-postgres-rows.js';

const BATCH = 1_000;
const TABLES: readonly HistoryTable[] = [
  'executions',
  'execution_tags',
  'steps',
  'annotations',
  'step_summaries',
  'artifacts',
  'log_lines',
  'api_keys',
  'sessions',
  'audit_log',
];

/** One table's rows on each side once the copy ended. */
export interface TableCount {
  table: HistoryTable;
  sqlite: number;
  postgres: number;
}

/** Copies the rows of an id-keyed table above PostgreSQL's highest id (what an interrupted run already copied stays). */
async function copyById(
  from: SqliteRowReader,
  to: PostgresRowWriter,
  table: (typeof ID_TABLES)[number],
): Promise<number> {
  let after = await to.maxId(table);
  let copied = 0;
  for (;;) {
    const rows = from.rowsAfter(table, after, BATCH);
    if (rows.length === 0) return copied;
    await to.insert(table, rows);
    copied += rows.length;
    after = Number(rows.at(-1)?.id);
  }
}

/** Copies a table without an id; rows already there are skipped by their primary key. */
async function copyAll(from: SqliteRowReader, to: PostgresRowWriter, table: KeyedTable): Promise<number> {
  let copied = 0;
  for (let offset = 0; ; offset += BATCH) {
    const rows = from.rowsAt(table, offset, BATCH);
    if (rows.length === 0) return copied;
    await to.insert(table, rows);
    copied += rows.length;
  }
}

/** Copies each execution's lines above the last line PostgreSQL already has for it. */
async function copyLines(from: SqliteRowReader, to: PostgresRowWriter): Promise<number> {
  const stored = await to.lastLines();
  let copied = 0;
  for (const { execution_id: id, last } of from.logExtents()) {
    let after = stored.get(id) ?? 0;
    while (after < last) {
      const rows = from.linesAfter(id, after, BATCH * 5);
      if (rows.length === 0) break;
      await to.insert('log_lines', rows);
      copied += rows.length;
      after = Number(rows.at(-1)?.line);
    }
  }
  return copied;
}

async function copyTable(from: SqliteRowReader, to: PostgresRowWriter, table: HistoryTable): Promise<number> {
  if (table === 'log_lines') return copyLines(from, to);
  if (table === 'execution_tags' || table === 'step_summaries' || table === 'sessions') return copyAll(from, to, table);
  return copyById(from, to, table);
}

/**
 * Copies executions, tags, steps, annotations, step summaries, artifact rows, log lines, API keys, sessions and the audit trail from the
 * SQLite database in `storagePath` into the PostgreSQL database at `url`; `progress` hears each table's copy.
 * Run it again after an interruption: it continues where it stopped. Returns both sides' counts per table.
 */
export async function migrateHistory(
  storagePath: string,
  url: string,
  progress: (table: HistoryTable, copied: number) => void,
): Promise<TableCount[]> {
  const from = openSqliteRowReader(storagePath);
  try {
    const to = await openPostgresRowWriter(url);
    try {
      for (const table of TABLES) progress(table, await copyTable(from, to, table));
      await to.advanceIdentities();
      const counts: TableCount[] = [];
      for (const table of TABLES) counts.push({ table, sqlite: from.count(table), postgres: await to.count(table) });
      return counts;
    } finally {
      await to.close();
    }
  } finally {
    from.close();
  }
}
