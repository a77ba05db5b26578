// Owns the figures behind /api/health/status, /metrics, /database and /optimize: database, host and live-feed numbers.
import type { Clock } from '../core/clock.js';
import type { SqliteStoreFigures, Store, StoreFigures } from '../store/store.js';
import type { HealthService } from './health-service.js';
import type { SystemFigures, SystemSampler } from './system-sampler.js';

/** Live-feed figures the WebSocket hub can give; `total_messages` is null when the hub does not count them. */
export interface WebsocketFigures {
  connected_clients: number;
  total_messages: number | null;
}

/** The answer of GET /api/health/status (contract §2). */
export interface HealthStatus {
  system: Pick<SystemFigures, 'cpu_percent' | 'memory_percent' | 'disk_usage_percent' | 'load_average'>;
  database: {
    status: string;
    size_mb: number | null;
    wal_mode: boolean | null;
    cache_hit_ratio: number | null;
    wal_mb: number | null;
    warnings: string[];
  };
  websocket: { status: string } & WebsocketFigures;
}

/** What the figures are gathered from; app.ts supplies them. */
export interface HealthFiguresDeps {
  store: Store;
  health: HealthService;
  system: SystemSampler;
  storagePath: string;
  /** Uptime and the optimize duration are reckoned by it. */
  clock: Clock;
  startedAt: number;
  /** Running and queued executions right now. */
  counts: () => { running: number; queued: number };
  /** The hub's figures; when absent the live feed reports 0 clients and null messages. */
  websocket?: (() => WebsocketFigures) | undefined;
}

/** Health figures for operators and dashboards. */
export type HealthFiguresService = ReturnType<typeof createHealthFiguresService>;

const MIB = 1024 * 1024;
/** A WAL larger than this means checkpoints are not keeping up (a long reader, or a full disk). */
const WAL_WARN_BYTES = 100 * MIB;

function walWarning(walBytes: number): string {
  return `the write-ahead log is ${toMib(walBytes)} MiB (over 100 MiB): checkpoints are not keeping up; run POST /api/health/optimize or check for long-running readers`;
}

function toMib(bytes: number): number {
  return Math.round((bytes / MIB) * 100) / 100;
}

function toIso(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

// SQLite's cache_size pragma is KiB when negative and pages when positive.
function cacheSizeKib(figures: SqliteStoreFigures): number {
  return figures.cache_size < 0 ? -figures.cache_size : (figures.cache_size * figures.page_size) / 1024;
}

/** Bytes of SQLite's -wal file; null on PostgreSQL, whose server manages its own write-ahead log. */
function walBytes(figures: StoreFigures): number | null {
  return figures.backend === 'sqlite' ? figures.wal_bytes : null;
}

/** Everything the database occupies on disk: SQLite's file and WAL, or PostgreSQL's pg_database_size. */
function totalBytes(figures: StoreFigures): number {
  return figures.size_bytes + (walBytes(figures) ?? 0);
}

function describeDatabase(figures: StoreFigures) {
  const common = {
    backend: figures.backend,
    size_bytes: figures.size_bytes,
    size_mb: toMib(totalBytes(figures)),
    tables: figures.tables,
  };
  if (figures.backend === 'postgres') {
    return {
      ...common,
      server_version: figures.server_version,
      pool: figures.pool,
      connections: figures.connections,
      cache_hit_ratio: figures.cache_hit_ratio,
      ...(figures.read_replica === undefined ? {} : { read_replica: figures.read_replica }),
    };
  }
  return {
    ...common,
    wal_bytes: figures.wal_bytes,
    journal_mode: figures.journal_mode,
    page_size: figures.page_size,
    cache_size: figures.cache_size,
    cache_size_kib: cacheSizeKib(figures),
  };
}

function databaseWarnings(figures: StoreFigures): string[] {
  if (figures.backend === 'sqlite') return figures.wal_bytes > WAL_WARN_BYTES ? [walWarning(figures.wal_bytes)] : [];
  const { waiting, max } = figures.pool;
  return waiting > 0
    ? [
        `${waiting} queries are waiting for a database connection (pool of ${max}): raise STEPFLOW_DATABASE_POOL if this persists`,
      ]
    : [];
}

/** The database part of GET /api/health/status; PostgreSQL always writes ahead, and reports its buffer cache hit ratio. */
function describeDatabaseStatus(status: string, figures: StoreFigures | null): HealthStatus['database'] {
  if (figures === null)
    return { status, size_mb: null, wal_mode: null, cache_hit_ratio: null, wal_mb: null, warnings: [] };
  const wal = walBytes(figures);
  return {
    status,
    size_mb: toMib(totalBytes(figures)),
    wal_mode: figures.backend === 'sqlite' ? figures.journal_mode === 'wal' : true,
    // SQLite counts page-cache hits only through sqlite3_db_status(), which better-sqlite3 does not expose.
    cache_hit_ratio: figures.backend === 'postgres' ? figures.cache_hit_ratio : null,
    wal_mb: wal === null ? null : toMib(wal),
    warnings: databaseWarnings(figures),
  };
}

/** Creates the service; every method reads fresh figures and none blocks on a measurement. */
export function createHealthFiguresService(deps: HealthFiguresDeps) {
  const { store } = deps;
  const websocketFigures = (): WebsocketFigures => deps.websocket?.() ?? { connected_clients: 0, total_messages: null };
  const uptimeSeconds = (): number => Math.round((deps.clock.now() - deps.startedAt) / 1000);

  return {
    async status(): Promise<HealthStatus> {
      const [report, system, figures] = await Promise.all([
        deps.health.check(),
        deps.system.read(),
        store.figures().catch(() => null),
      ]);
      return {
        system: {
          cpu_percent: system.cpu_percent,
          memory_percent: system.memory_percent,
          disk_usage_percent: system.disk_usage_percent,
          load_average: system.load_average,
        },
        database: describeDatabaseStatus(report.database.status, figures),
        websocket: { status: report.websocket.status, ...websocketFigures() },
      };
    },

    async metrics() {
      const [figures, system] = await Promise.all([store.figures(), deps.system.read()]);
      return {
        database: describeDatabase(figures),
        storage: {
          path: deps.storagePath,
          free_bytes: system.disk_free_bytes,
          total_bytes: system.disk_total_bytes,
          usage_percent: system.disk_usage_percent,
        },
        executions: deps.counts(),
        websocket: websocketFigures(),
        system,
        uptime_seconds: uptimeSeconds(),
      };
    },

    async database() {
      const [statistics, figures] = await Promise.all([store.statistics(), store.figures()]);
      return {
        total_executions: statistics.total_executions,
        by_status: statistics.by_status,
        steps: figures.tables.steps ?? 0,
        artifacts: figures.tables.artifacts ?? 0,
        log_lines: figures.tables.log_lines ?? 0,
        size_bytes: totalBytes(figures),
        size_mb: toMib(totalBytes(figures)),
        oldest_execution: toIso(figures.oldest_execution_at),
        newest_execution: toIso(figures.newest_execution_at),
      };
    },

    async optimize() {
      const before = await store.figures();
      const started = deps.clock.now();
      const operations = await store.optimize();
      const durationMs = deps.clock.now() - started;
      const after = await store.figures();
      return {
        status: 'optimization_completed' as const,
        operations_performed: operations,
        metrics: {
          duration_ms: durationMs,
          size_bytes_before: before.size_bytes,
          size_bytes_after: after.size_bytes,
          wal_bytes_before: walBytes(before),
          wal_bytes_after: walBytes(after),
          tables: after.tables,
        },
      };
    },
  };
}
