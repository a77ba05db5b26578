// Owns the Config type: every setting the server reads, after defaults, file, env and flags are merged.
import type { MarkerDialect } from '../markers/marker-dialect.js';
import type { MarkerMatchMode } from '../markers/marker-event.js';

/** Log levels accepted by STEPFLOW_LOG_LEVEL (pino's names). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The frozen, validated server configuration. */
export interface Config {
  /** Address the HTTP server binds (STEPFLOW_HOST, default 127.0.0.1). */
  host: string;
  /** HTTP port (STEPFLOW_PORT, default 8080; 0 picks a free port). */
  port: number;
  /** Address of the standalone WebSocket port (STEPFLOW_WEBSOCKET_HOST, default: host). */
  websocketHost: string;
  /** Standalone WebSocket port (STEPFLOW_WEBSOCKET_PORT, default 8765; 0 turns it off). */
  websocketPort: number;
  /** True when websocketPort is the default rather than chosen: a busy default port is a warning, a busy chosen one an error. */
  websocketPortIsDefault: boolean;
  /** Directory holding the database and artifacts (STEPFLOW_STORAGE_PATH, default ./data), absolute. */
  storagePath: string;
  /** The artifacts folder, absolute (STEPFLOW_ARTIFACT_PATH, default <storagePath>/artifacts); several servers may share one. */
  artifactPath: string;
  /** PostgreSQL database URL, or null for SQLite under storagePath (STEPFLOW_DATABASE_URL, flag --database-url). */
  databaseUrl: string | null;
  /** Most connections of this server's PostgreSQL pool (STEPFLOW_DATABASE_POOL, default 10). */
  databasePool: number;
  /** A read replica of the PostgreSQL database, or null (STEPFLOW_DATABASE_READ_URL, flag --database-read-url). */
  databaseReadUrl: string | null;
  /** Seconds a client's reads go to the primary after its last write (STEPFLOW_READ_YOUR_WRITES_SECONDS, default 10). */
  readYourWritesSeconds: number;
  /** MiB of log text held in memory while the database does not answer (STEPFLOW_OUTAGE_BUFFER_MB, default 64). */
  outageBufferMb: number;
  /** This server's name among those sharing a PostgreSQL database (STEPFLOW_SERVER_NAME, default <host name>:<port>). */
  serverName: string;
  /** Seconds without a heartbeat before a server counts as lost (STEPFLOW_SERVER_LOST_SECONDS, default 30). */
  serverLostSeconds: number;
  /** Server log level, pino's names (STEPFLOW_LOG_LEVEL, default info). */
  logLevel: LogLevel;
  /** SQLite page cache size in KiB (STEPFLOW_CACHE_SIZE, default 65536 = 64 MiB). */
  cacheSizeKib: number;
  /** SQLite wal_autocheckpoint in pages (STEPFLOW_WAL_AUTOCHECKPOINT, default 1000). */
  walAutocheckpoint: number;
  /** Executions running at once; more wait as pending (STEPFLOW_MAX_CONCURRENT, default 16). */
  maxConcurrent: number;
  /** Seconds between SIGTERM and SIGKILL when stopping a process group (STEPFLOW_KILL_GRACE_SECONDS, default 5). */
  killGraceSeconds: number;
  /** Where marker tokens are recognised (STEPFLOW_MARKER_MODE: line_start | anywhere). */
  markerMode: MarkerMatchMode;
  /** Marker dialects read in executions that choose none (STEPFLOW_MARKERS, default stepflow,github,gitlab). */
  markers: readonly MarkerDialect[];
  /** Working directory for executions that name none (STEPFLOW_WORKING_DIRECTORY, default: server cwd), absolute. */
  defaultWorkingDirectory: string;
  /** Directories every working directory must lie in, resolved with symlinks; empty allows any (STEPFLOW_WORKING_ROOTS). */
  workingRoots: readonly string[];
  /** The user scripts run as (name or uid), or null for the server's own user (STEPFLOW_RUN_AS). */
  runAs: string | null;
  /** Server variables children inherit even though they look like secrets (STEPFLOW_CHILD_ENV_PASSTHROUGH). */
  childEnvPassthrough: readonly string[];
  /** Longest wait before buffered log lines are committed (STEPFLOW_LOG_FLUSH_MS, default 50). */
  logFlushMs: number;
  /** Most lines per log commit (STEPFLOW_LOG_BATCH_LINES, default 1000). */
  logBatchLines: number;
  /** Browser origins allowed to open the WebSocket besides the server's own (STEPFLOW_ALLOWED_ORIGINS, comma-separated). */
  allowedOrigins: readonly string[];
  /** Host names the server answers to (STEPFLOW_ALLOWED_HOSTS); empty means the defaults (bind address, localhost, 127.0.0.1, [::1]). */
  allowedHosts: readonly string[];
  /** Directories besides an execution's working directory that ARTIFACT paths may point into (STEPFLOW_ARTIFACT_ROOTS, comma-separated). */
  artifactRoots: readonly string[];
  /** Largest artifact kept, in bytes (STEPFLOW_MAX_ARTIFACT_BYTES, default 1 GiB). */
  maxArtifactBytes: number;
  /** Every /api, /metrics and WebSocket request needs an API key (STEPFLOW_AUTH_ENABLED, flag --auth, default false). */
  authEnabled: boolean;
  /** How clients authenticate (STEPFLOW_AUTH_METHOD); only api_key exists. */
  authMethod: 'api_key';
  /** One admin key from the environment (STEPFLOW_API_KEY, default none); never stored. */
  apiKey: string | null;
  /** Start on a non-loopback address with auth off (STEPFLOW_ALLOW_UNAUTHENTICATED, default false). */
  allowUnauthenticated: boolean;
  /** Lifetime of a dashboard session in hours (STEPFLOW_SESSION_HOURS, default 12). */
  sessionHours: number;
  /** Executions one key (or address) may create per minute; 0 is no limit (STEPFLOW_RATE_LIMIT_CREATES_PER_MINUTE). */
  rateLimitCreatesPerMinute: number;
  /** Requests one key (or address) may make per minute; 0 is no limit (STEPFLOW_RATE_LIMIT_REQUESTS_PER_MINUTE). */
  rateLimitRequestsPerMinute: number;
  /** Failed authentications one address may make per minute before 429; 0 is no limit (STEPFLOW_AUTH_FAILURES_PER_MINUTE, default 10). */
  authFailuresPerMinute: number;
  /** Most pending executions; creation beyond answers 503 queue_full (STEPFLOW_MAX_QUEUED, default 10000). */
  maxQueued: number;
  /** Name patterns of environment variables whose values are masked in logs (STEPFLOW_SECRET_NAME_PATTERNS). */
  secretNamePatterns: readonly string[];
  /** Most processes one execution may have at once; 0 is no cap (STEPFLOW_MAX_PROCESSES, default 512). */
  maxProcesses: number;
  /** Finished executions older than this many days are deleted; 0 keeps them (STEPFLOW_RETENTION_DAYS, default 0). */
  retentionDays: number;
  /** At most this many executions are kept, oldest finished ones deleted first; 0 is no limit (STEPFLOW_RETENTION_MAX_EXECUTIONS). */
  retentionMaxExecutions: number;
  /** Whether this server runs executions itself; false: only agents do (STEPFLOW_LOCAL_EXECUTOR, default true). */
  localExecutor: boolean;
  /** Seconds without hearing from an agent before its executions fail `agent lost` (STEPFLOW_AGENT_LOST_SECONDS, default 60). */
  agentLostSeconds: number;
}
