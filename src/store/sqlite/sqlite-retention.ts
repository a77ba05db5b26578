// Owns the SQLite side of retention: finding finished executions past the rules (sqlite-logs deletes their lines by range).
import { TERMINAL_STATUSES } from '../../core/execution.js';
import type { SqliteConnection } from './sqlite-connection.js';

const FINISHED = `status IN (${TERMINAL_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** Retention queries over one SQLite connection. */
export class SqliteRetention {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Finished executions past either rule, oldest first; ids are increasing with creation time. */
  candidates(rule: { finishedBefore: number | null; keepNewest: number | null; limit: number }): number[] {
    const conditions: string[] = [];
    const params: number[] = [];
    if (rule.finishedBefore !== null) {
      conditions.push('completed_at < ?');
      params.push(rule.finishedBefore);
    }
    if (rule.keepNewest !== null) {
      // The newest N by id are kept whatever their status; running ones are never candidates anyway.
      conditions.push('id < COALESCE((SELECT id FROM executions ORDER BY id DESC LIMIT 1 OFFSET ?), 0)');
      params.push(rule.keepNewest - 1);
    }
    if (conditions.length === 0) return [];
    const sql = `SELECT id FROM executions WHERE ${FINISHED} AND (${conditions.join(' OR ')}) ORDER BY id LIMIT ?`;
    const rows = this.#sqlite.prepare(sql).all(...params, rule.limit) as { id: number }[];
    return rows.map((row) => row.id);
  }
}
