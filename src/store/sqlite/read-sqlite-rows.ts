// Owns reading a SQLite history row by row for `stepflow migrate`: every table in key order, resumable after a key.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './apply-migrations.js';
import { SQLITE_DATABASE_FILE } from './open-sqlite-store.js';

/** Tables with an integer `id` key, in the order their rows may be copied (parents first). */
export const ID_TABLES = ['executions', 'steps', 'artifacts', 'api_keys', 'audit_log'] as const;

/** One table of the history. */
export type HistoryTable = (typeof ID_TABLES)[number] | 'execution_tags' | 'sessions' | 'log_lines';

/** Raw rows of a SQLite history, read-only. */
export interface SqliteRowReader {
  count(table: HistoryTable): number;
  /** Up to `limit` rows of a table keyed by id with id > `afterId`, in id order. */
  rowsAfter(table: (typeof ID_TABLES)[number], afterId: number, limit: number): Record<string, unknown>[];
  /** Up to `limit` rows of a table without an id (execution_tags, sessions) after the `offset`-th, in rowid order. */
  rowsAt(table: 'execution_tags' | 'sessions', offset: number, limit: number): Record<string, unknown>[];
  /** Up to `limit` log lines of the execution numbered above `afterLine`. */
  linesAfter(executionId: number, afterLine: number, limit: number): Record<string, unknown>[];
  /** Every execution id with its last line number, in id order. */
  logExtents(): Array<{ execution_id: number; last: number }>;
  close(): void;
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
    throw new Error(`${file} has schema version ${version}; start this StepFlow on it once (stepflow serve --storage ${storagePath}) to bring it to ${latest}, then migrate`);
  }
  return {
    count: (table) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    rowsAfter: (table, afterId, limit) => db.prepare(`SELECT * FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as Record<string, unknown>[],
    // execution_tags and sessions are WITHOUT ROWID tables: their primary key is the order.
    rowsAt: (table, offset, limit) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2 LIMIT ? OFFSET ?`).all(limit, offset) as Record<string, unknown>[],
    linesAfter: (executionId, afterLine, limit) => db.prepare('SELECT * FROM log_lines WHERE execution_id = ? AND line > ? ORDER BY line LIMIT ?').all(executionId, afterLine, limit) as Record<string, unknown>[],
    logExtents: () => db.prepare('SELECT e.id AS execution_id, COALESCE((SELECT MAX(line) FROM log_lines l WHERE l.execution_id = e.id), 0) AS last FROM executions e ORDER BY e.id').all() as Array<{ execution_id: number; last: number }>,
    close: () => db.close(),
  };
}
