// Owns database-level operations on PostgreSQL: liveness probe, size, pool and row figures, VACUUM ANALYZE.
import type { Pool } from 'pg';
import type { PostgresStoreFigures } from '../store.js';

const TABLES = [
  'executions',
  'execution_tags',
  'steps',
  'annotations',
  'step_summaries',
  'log_lines',
  'log_chunks',
  'log_chunk_grams',
  'artifacts',
  'api_keys',
  'sessions',
  'audit_log',
] as const;

// Lines are numbered contiguously from 1, so each execution's count is its MAX(line): one index seek per execution.
const FIGURES = `SELECT
  pg_database_size(current_database())::float8 AS size_bytes,
  current_setting('server_version') AS server_version,
  (SELECT COUNT(*) FROM executions) AS executions,
  (SELECT COUNT(*) FROM steps) AS steps,
  (SELECT COUNT(*) FROM artifacts) AS artifacts,
  (SELECT COALESCE(SUM(GREATEST((SELECT MAX(l.line) FROM log_lines AS l WHERE l.execution_id = e.id), (SELECT MAX(c.last_line) FROM log_chunks AS c WHERE c.execution_id = e.id))), 0)::float8 FROM executions AS e) AS log_lines,
  (SELECT MIN(created_at) FROM executions) AS oldest,
  (SELECT MAX(created_at) FROM executions) AS newest,
  (SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
  (SELECT blks_hit::float8 / NULLIF(blks_hit + blks_read, 0) FROM pg_stat_database WHERE datname = current_database()) AS cache_hit_ratio`;

interface FiguresRow {
  size_bytes: number;
  server_version: string;
  executions: number;
  steps: number;
  artifacts: number;
  log_lines: number;
  oldest: number | null;
  newest: number | null;
  connections: number;
  cache_hit_ratio: number | null;
}

/** Health and housekeeping for one PostgreSQL database, seen through this server's pool. */
export class PostgresMaintenance {
  readonly #pool: Pool;
  readonly #poolMax: number;

  constructor(pool: Pool, poolMax: number) {
    this.#pool = pool;
    this.#poolMax = poolMax;
  }

  /** Runs `SELECT 1`; throws when no connection can be had or the server does not answer. */
  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  /** Database size, server version, pool state, connections, cache hit ratio and row counts. */
  async figures(): Promise<PostgresStoreFigures> {
    const row = (await this.#pool.query<FiguresRow>(FIGURES)).rows[0];
    if (row === undefined) throw new Error('the figures query returned no row');
    return {
      backend: 'postgres',
      size_bytes: row.size_bytes,
      tables: { executions: row.executions, steps: row.steps, log_lines: row.log_lines, artifacts: row.artifacts },
      oldest_execution_at: row.oldest,
      newest_execution_at: row.newest,
      server_version: row.server_version,
      pool: {
        max: this.#poolMax,
        total: this.#pool.totalCount,
        idle: this.#pool.idleCount,
        waiting: this.#pool.waitingCount,
      },
      connections: row.connections,
      cache_hit_ratio: row.cache_hit_ratio,
    };
  }

  /** VACUUM (ANALYZE) of StepFlow's tables: reclaims deleted rows' space for reuse and refreshes planner statistics. */
  async optimize(): Promise<string[]> {
    await this.#pool.query(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
    return ['vacuum_analyze'];
  }
}
