// Owns the PostgreSQL side of retention: finding finished executions past the rules (log lines are cut by PostgresLogs.deleteThrough).
import type { Pool } from 'pg';

const FINISHED = "status IN ('completed', 'failed', 'cancelled')";

/** Retention queries over a PostgreSQL pool. */
export class PostgresRetention {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Finished executions past either rule, oldest first; ids increase with creation time. */
  async candidates(rule: {
    finishedBefore: number | null;
    keepNewest: number | null;
    limit: number;
  }): Promise<number[]> {
    const conditions: string[] = [];
    const params: number[] = [];
    if (rule.finishedBefore !== null) {
      params.push(rule.finishedBefore);
      conditions.push(`completed_at < $${params.length}`);
    }
    if (rule.keepNewest !== null) {
      // The newest N by id are kept whatever their status; running ones are never candidates anyway.
      params.push(rule.keepNewest - 1);
      conditions.push(
        `id < COALESCE((SELECT id FROM executions ORDER BY id DESC LIMIT 1 OFFSET $${params.length}), 0)`,
      );
    }
    if (conditions.length === 0) return [];
    params.push(rule.limit);
    const text = `SELECT id FROM executions WHERE ${FINISHED} AND (${conditions.join(' OR ')}) ORDER BY id LIMIT $${params.length}`;
    const result = await this.#pool.query<{ id: number }>(text, params);
    return result.rows.map((row) => row.id);
  }
}
