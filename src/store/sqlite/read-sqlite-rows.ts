// Owns reading a SQLite history row by row for `stepflow migrate`: every table in key order, resumable after a key.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeLogChunk } from '../log-chunks/decode-log-chunk.js';
import type { LogChunkMeta } from '../log-chunks/log-chunk.js';
import { SQLITE_MIGRATIONS } from './apply-migrations.js';
import { SQLITE_DATABASE_FILE } from './open-sqlite-store.js';
import { encodeStream } from '../row-mappers.js';

/** Tables with an integer `id` key, in the order their rows may be copied (parents first). */
export const ID_TABLES = ['executions', 'steps', 'annotations', 'artifacts', 'api_keys', 'audit_log'] as const;

/** One table of the history. */
export type HistoryTable = (typeof ID_TABLES)[number] | KeyedTable | 'log_lines';

/** Tables without an integer id, copied in primary-key order. */
export type KeyedTable = 'execution_tags' | 'step_summaries' | 'sessions';

/** Raw rows of a SQLite history, read-only. */
export interface SqliteRowReader {
  count(table: HistoryTable): number;
  /** Up to `limit` rows of a table keyed by id with id > `afterId`, in id order. */
  rowsAfter(table: (typeof ID_TABLES)[number], afterId: number, limit: number): Record<string, unknown>[];
  /** Up to `limit` rows of a table without an id after the `offset`-th, in primary-key order. */
  rowsAt(table: KeyedTable, offset: number, limit: number): Record<string, unknown>[];
  /** Up to `limit` log lines of the execution numbered above `afterLine`, sealed ones as log_lines rows. */
  linesAfter(executionId: number, afterLine: number, limit: number): Record<string, unknown>[];
  /** Every execution id with its last line number, in id order. */
  logExtents(): Array<{ execution_id: number; last: number }>;
  close(): void;
}

/** Stored log lines, live tails and sealed chunks alike. */
const LOG_LINE_COUNT =
  'SELECT (SELECT COUNT(*) FROM log_lines) + (SELECT COALESCE(SUM(last_line - first_line + 1), 0) FROM log_chunks) AS n';
const LOG_EXTENTS = `SELECT e.id AS execution_id, MAX(COALESCE((SELECT MAX(line) FROM log_lines l WHERE l.execution_id = e.id), 0),
  COALESCE((SELECT MAX(last_line) FROM log_chunks c WHERE c.execution_id = e.id), 0)) AS last FROM executions e ORDER BY e.id`;

/** Lines from the sealed chunks that hold them, then from the live tail, as log_lines rows. */
function readLinesAfter(
  db: Database.Database,
  executionId: number,
  afterLine: number,
  limit: number,
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const chunks = db
    .prepare(
      'SELECT first_line, step_index, codec, data FROM log_chunks WHERE execution_id = ? AND last_line > ? ORDER BY last_line',
    )
    .iterate(executionId, afterLine) as IterableIterator<
    Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'> & { data: Buffer }
  >;
  for (const chunk of chunks) {
    for (const l of decodeLogChunk(chunk, chunk.data, afterLine + 1, afterLine + limit)) {
      rows.push({
        execution_id: executionId,
        line: l.line,
        ts: l.ts,
        stream: encodeStream(l.stream),
        step_index: l.step_index,
        content: l.content,
      });
    }
    if (rows.length >= limit) break;
  }
  const after = Math.max(afterLine, Number(rows.at(-1)?.line ?? 0));
  const tail = db
    .prepare('SELECT * FROM log_lines WHERE execution_id = ? AND line > ? ORDER BY line LIMIT ?')
    .all(executionId, after, limit - Math.min(limit, rows.length));
  return [...rows.slice(0, limit), ...(tail as Record<string, unknown>[])];
}

/** Opens `<storagePath>/stepflow.db` read-only; refuses a missing file and a schema this StepFlow does not know. */
export function openSqliteRowReader(storagePath: string): SqliteRowReader {
  const file = join(storagePath, SQLITE_DATABASE_FILE);
  if (!existsSync(file)) throw new Error(`no StepFlow database at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  const latest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
  if (version !== latest) {
    db.close();
    throw new Error(
      `${file} has schema version ${version}; start this StepFlow on it once (stepflow serve --storage ${storagePath}) to bring it to ${latest}, then migrate`,
    );
  }
  return {
    count: (table) =>
      (db.prepare(table === 'log_lines' ? LOG_LINE_COUNT : `SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number })
        .n,
    rowsAfter: (table, afterId, limit) =>
      db.prepare(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as Record<
        string,
        unknown
      >[],
    // execution_tags, step_summaries and sessions are WITHOUT ROWID tables: their primary key (first two columns) is the order.
    rowsAt: (table, offset, limit) =>
      db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2 LIMIT ? OFFSET ?`).all(limit, offset) as Record<
        string,
        unknown
      >[],
    linesAfter: (executionId, afterLine, limit) => readLinesAfter(db, executionId, afterLine, limit),
    logExtents: () => db.prepare(LOG_EXTENTS).all() as Array<{ execution_id: number; last: number }>,
    close: () => db.close(),
  };
}
