// Owns the table of settings: for each Config field its flag, env var, default and value parser.
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { redactDatabaseUrl } from '../core/redact-database-url.js';
import { isMarkerDialect, MARKER_DIALECTS } from '../markers/marker-dialect.js';
import type { Config, LogLevel } from './config.js';

/** A value as a source delivers it: env and flags give strings, a JSON file any JSON value. */
export type RawValue = unknown;

/** The outcome of parsing one raw value: the typed value, or the reason it is unusable. */
export type ParseResult = { ok: true; value: SettingValue } | { ok: false; reason: string };

/** A parsed setting value. */
export type SettingValue = string | number | boolean | readonly string[];

/** One configurable Config field and how each source names it. */
export interface ConfigSetting {
  key: keyof Config;
  env: string;
  flag: string;
  /** Placeholder shown in `--help`, e.g. `<port>`; empty for an on/off switch. */
  valueName: string;
  /** The default as a person reads it (help text and docs). */
  defaultText: string;
  description: string;
  parse(raw: RawValue, cwd: string): ParseResult;
}

/** Every key the `flags` source may carry: the Config fields plus the config-file path. */
export type ConfigKey = keyof Config | 'config';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MARKER_MODES = ['line_start', 'anywhere'] as const;

// Numbers read the same from every source (`got 0`); anything else is quoted so blanks and spaces show.
function show(raw: RawValue): string {
  if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw)) return raw;
  return JSON.stringify(raw) ?? String(raw);
}

// JSON numbers pass through; strings must be plain decimal digits so "8080abc" or "1e3" is not a port.
function toNumber(raw: RawValue): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
  return undefined;
}

function parsePort(raw: RawValue): ParseResult {
  const n = toNumber(raw);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 65535) {
    return { ok: false, reason: `${show(raw)} is not a port number (0-65535)` };
  }
  return { ok: true, value: n };
}

function integerIn(min: number, max: number): (raw: RawValue) => ParseResult {
  return (raw) => {
    const n = toNumber(raw);
    if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
      return { ok: false, reason: `must be an integer from ${min} to ${max}, got ${show(raw)}` };
    }
    return { ok: true, value: n };
  };
}

function secondsIn(min: number, max: number): (raw: RawValue) => ParseResult {
  return (raw) => {
    const n = toNumber(raw);
    if (n === undefined || n < min || n > max) {
      return { ok: false, reason: `must be a number of seconds from ${min} to ${max}, got ${show(raw)}` };
    }
    return { ok: true, value: n };
  };
}

function oneOf(values: readonly string[]): (raw: RawValue) => ParseResult {
  return (raw) =>
    typeof raw === 'string' && values.includes(raw)
      ? { ok: true, value: raw }
      : { ok: false, reason: `must be one of ${values.join(', ')}, got ${show(raw)}` };
}

/** Reads true/false (also 1/0, yes/no, on/off) from any source. */
export function parseSwitch(raw: RawValue): ParseResult {
  if (typeof raw === 'boolean') return { ok: true, value: raw };
  const text = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return { ok: true, value: true };
  if (['false', '0', 'no', 'off'].includes(text)) return { ok: true, value: false };
  return { ok: false, reason: `${show(raw)} is not true or false` };
}

// A guessable key protects nothing; 16 characters is the floor, generated keys are 43.
function parseApiKey(raw: RawValue): ParseResult {
  if (typeof raw !== 'string' || raw.trim().length < 16 || /\s/.test(raw)) {
    return { ok: false, reason: 'must be at least 16 characters without spaces (the value is not shown)' };
  }
  return { ok: true, value: raw };
}

// Environment variable names are letters, digits and `_`; `*` stands for any run of them.
function parseNamePattern(raw: string): ParseResult {
  return /^[A-Za-z0-9_*]+$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `${show(raw)} is not a name pattern like *TOKEN* or *_KEY` };
}

function parseHost(raw: RawValue): ParseResult {
  if (typeof raw !== 'string' || raw.trim() === '' || /\s/.test(raw)) {
    return { ok: false, reason: `${show(raw)} is not a host name or IP address` };
  }
  return { ok: true, value: raw };
}

// A Host name as browsers send it (a DNS name, an IPv4 address or a bracketed IPv6 address), or `*` for any.
function parseHostName(raw: string): ParseResult {
  return raw === '*' || /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(raw)
    ? { ok: true, value: raw.toLowerCase() }
    : { ok: false, reason: `${show(raw)} is not a host name like stepflow.example.com, 10.0.0.5, [::1] or *` };
}

function parsePath(raw: RawValue, cwd: string): ParseResult {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: `${show(raw)} is not a path` };
  return { ok: true, value: isAbsolute(raw) ? resolve(raw) : resolve(cwd, raw) };
}

// The storage directory may not exist yet (the app creates it), but it must not be a file.
function parseStoragePath(raw: RawValue, cwd: string): ParseResult {
  const parsed = parsePath(raw, cwd);
  if (!parsed.ok) return parsed;
  const stat = statSync(String(parsed.value), { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) return { ok: false, reason: `${parsed.value} exists and is not a directory` };
  return parsed;
}

// Executions would fail one by one at spawn time; better to refuse at start-up.
function parseExistingDirectory(raw: RawValue, cwd: string): ParseResult {
  const parsed = parsePath(raw, cwd);
  if (!parsed.ok) return parsed;
  const stat = statSync(String(parsed.value), { throwIfNoEntry: false });
  if (!stat) return { ok: false, reason: `directory ${parsed.value} does not exist` };
  if (!stat.isDirectory()) return { ok: false, reason: `${parsed.value} is not a directory` };
  return parsed;
}

// Compared with working directories after their symlinks are resolved, so the roots are resolved too.
function parseRealDirectory(raw: RawValue, cwd: string): ParseResult {
  const parsed = parseExistingDirectory(raw, cwd);
  return parsed.ok ? { ok: true, value: realpathSync(String(parsed.value)) } : parsed;
}

// A user name as useradd accepts it, or a numeric uid; whether it exists is checked at start-up.
function parseUser(raw: RawValue): ParseResult {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return { ok: true, value: String(raw) };
  if (typeof raw === 'string' && /^([A-Za-z_][A-Za-z0-9_.-]*\$?|\d+)$/.test(raw)) return { ok: true, value: raw };
  return { ok: false, reason: `${show(raw)} is not a user name or uid` };
}

function parseVariableName(raw: string): ParseResult {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `${show(raw)} is not an environment variable name` };
}

// An empty list would silently read no markers at all: a server that wants plain text says `stepflow` and prints none.
function parseMarkerDialects(raw: RawValue, cwd: string): ParseResult {
  const parsed = listOf((item) =>
    isMarkerDialect(item.toLowerCase())
      ? { ok: true, value: item.toLowerCase() }
      : { ok: false, reason: `"${item}" is not a marker dialect (${MARKER_DIALECTS.join(', ')})` },
  )(raw, cwd);
  if (parsed.ok && (parsed.value as readonly string[]).length === 0)
    return { ok: false, reason: 'must name at least one marker dialect' };
  return parsed;
}

function listOf(each: (item: string, cwd: string) => ParseResult): (raw: RawValue, cwd: string) => ParseResult {
  return (raw, cwd) => {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
    if (!items) return { ok: false, reason: `${show(raw)} is not a comma-separated list` };
    const values: string[] = [];
    for (const item of items.map((entry) => String(entry).trim()).filter((entry) => entry !== '')) {
      const parsed = each(item, cwd);
      if (!parsed.ok) return parsed;
      values.push(String(parsed.value));
    }
    return { ok: true, value: values };
  };
}

function parseOrigin(raw: string): ParseResult {
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === raw.replace(/\/$/, ''))
      return { ok: true, value: url.origin };
  } catch {
    // falls through to the problem below
  }
  return { ok: false, reason: `${show(raw)} is not an origin like https://ci.example.com or http://127.0.0.1:3000` };
}

// A PostgreSQL URL (libpq's postgres:// or postgresql://); a bad one is echoed without its password.
function parseDatabaseUrl(raw: RawValue): ParseResult {
  if (typeof raw !== 'string') return { ok: false, reason: `must be a postgres:// URL, got ${show(raw)}` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL: expected postgres://user:password@host:5432/database' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { ok: false, reason: `must be a postgres:// or postgresql:// URL, got ${redactDatabaseUrl(raw)}` };
  }
  if (url.pathname.length <= 1)
    return { ok: false, reason: `names no database (…/stepflow at the end): ${redactDatabaseUrl(raw)}` };
  return { ok: true, value: raw };
}

function parseServerName(raw: RawValue): ParseResult {
  return typeof raw === 'string' && /^[\w.:-]{1,100}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, reason: `must be 1-100 letters, digits, '.', '_', ':' or '-', got ${show(raw)}` };
}

/** All settings in the order `--help` and docs/configuration.md list them. */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  {
    key: 'host',
    env: 'STEPFLOW_HOST',
    flag: '--host',
    valueName: '<address>',
    defaultText: '127.0.0.1',
    description: 'address the HTTP server binds',
    parse: parseHost,
  },
  {
    key: 'port',
    env: 'STEPFLOW_PORT',
    flag: '--port',
    valueName: '<port>',
    defaultText: '8080',
    description: 'HTTP port; 0 picks a free port',
    parse: parsePort,
  },
  {
    key: 'websocketHost',
    env: 'STEPFLOW_WEBSOCKET_HOST',
    flag: '--ws-host',
    valueName: '<address>',
    defaultText: 'same as host',
    description: 'address of the standalone WebSocket port',
    parse: parseHost,
  },
  {
    key: 'websocketPort',
    env: 'STEPFLOW_WEBSOCKET_PORT',
    flag: '--ws-port',
    valueName: '<port>',
    defaultText: '8765',
    description: 'standalone WebSocket port; 0 turns it off',
    parse: parsePort,
  },
  {
    key: 'storagePath',
    env: 'STEPFLOW_STORAGE_PATH',
    flag: '--storage',
    valueName: '<dir>',
    defaultText: './data',
    description: 'directory for the database and artifacts',
    parse: parseStoragePath,
  },
  {
    key: 'artifactPath',
    env: 'STEPFLOW_ARTIFACT_PATH',
    flag: '--artifact-path',
    valueName: '<dir>',
    defaultText: '<storage>/artifacts',
    description: 'existing directory for artifact files, e.g. a network mount every server shares',
    parse: parseExistingDirectory,
  },
  {
    key: 'databaseUrl',
    env: 'STEPFLOW_DATABASE_URL',
    flag: '--database-url',
    valueName: '<url>',
    defaultText: 'none (SQLite under the storage directory)',
    description: 'PostgreSQL database to use instead of SQLite, postgres://user:password@host:5432/database',
    parse: parseDatabaseUrl,
  },
  {
    key: 'databasePool',
    env: 'STEPFLOW_DATABASE_POOL',
    flag: '--database-pool',
    valueName: '<n>',
    defaultText: '10',
    description: 'most PostgreSQL connections this server opens (1-1000)',
    parse: integerIn(1, 1000),
  },
  {
    key: 'serverName',
    env: 'STEPFLOW_SERVER_NAME',
    flag: '--server-name',
    valueName: '<name>',
    defaultText: '<host name>:<port>',
    description: "this server's name among the servers sharing a PostgreSQL database (1-100 letters, digits, . _ : -)",
    parse: parseServerName,
  },
  {
    key: 'serverLostSeconds',
    env: 'STEPFLOW_SERVER_LOST_SECONDS',
    flag: '--server-lost-seconds',
    valueName: '<seconds>',
    defaultText: '30',
    description: "seconds without a heartbeat after which another server fails a server's running executions (1-3600)",
    parse: secondsIn(1, 3600),
  },
  {
    key: 'logLevel',
    env: 'STEPFLOW_LOG_LEVEL',
    flag: '--log-level',
    valueName: '<level>',
    defaultText: 'info',
    description: `server log level: ${LOG_LEVELS.join(', ')}`,
    parse: oneOf(LOG_LEVELS),
  },
  {
    key: 'cacheSizeKib',
    env: 'STEPFLOW_CACHE_SIZE',
    flag: '--cache-size',
    valueName: '<KiB>',
    defaultText: '65536',
    description: 'SQLite page cache in KiB (1-16777216)',
    parse: integerIn(1, 16_777_216),
  },
  {
    key: 'walAutocheckpoint',
    env: 'STEPFLOW_WAL_AUTOCHECKPOINT',
    flag: '--wal-autocheckpoint',
    valueName: '<pages>',
    defaultText: '1000',
    description: 'SQLite wal_autocheckpoint in pages (1-1000000)',
    parse: integerIn(1, 1_000_000),
  },
  {
    key: 'maxConcurrent',
    env: 'STEPFLOW_MAX_CONCURRENT',
    flag: '--max-concurrent',
    valueName: '<n>',
    defaultText: '16',
    description: 'executions running at once, more wait as pending (1-1024)',
    parse: integerIn(1, 1024),
  },
  {
    key: 'killGraceSeconds',
    env: 'STEPFLOW_KILL_GRACE_SECONDS',
    flag: '--kill-grace',
    valueName: '<seconds>',
    defaultText: '5',
    description: 'seconds between SIGTERM and SIGKILL when stopping a script (0-3600)',
    parse: secondsIn(0, 3600),
  },
  {
    key: 'markerMode',
    env: 'STEPFLOW_MARKER_MODE',
    flag: '--marker-mode',
    valueName: '<line_start|anywhere>',
    defaultText: 'line_start',
    description: 'where marker tokens are recognised in a line',
    parse: oneOf(MARKER_MODES),
  },
  {
    key: 'markers',
    env: 'STEPFLOW_MARKERS',
    flag: '--markers',
    valueName: '<dialects>',
    defaultText: 'stepflow,github,gitlab',
    description: `comma-separated marker dialects read in executions that choose none: ${MARKER_DIALECTS.join(', ')}`,
    parse: parseMarkerDialects,
  },
  {
    key: 'defaultWorkingDirectory',
    env: 'STEPFLOW_WORKING_DIRECTORY',
    flag: '--working-directory',
    valueName: '<dir>',
    defaultText: 'the directory stepflow starts in',
    description: 'working directory for executions that name none',
    parse: parseExistingDirectory,
  },
  {
    key: 'workingRoots',
    env: 'STEPFLOW_WORKING_ROOTS',
    flag: '--working-roots',
    valueName: '<dirs>',
    defaultText: 'none (any directory)',
    description: 'comma-separated directories every working directory must lie in, after symlinks are resolved',
    parse: listOf(parseRealDirectory),
  },
  {
    key: 'runAs',
    env: 'STEPFLOW_RUN_AS',
    flag: '--run-as',
    valueName: '<user>',
    defaultText: 'none (the server user)',
    description: 'run scripts as this unprivileged user; the server must run as root',
    parse: parseUser,
  },
  {
    key: 'childEnvPassthrough',
    env: 'STEPFLOW_CHILD_ENV_PASSTHROUGH',
    flag: '--child-env-passthrough',
    valueName: '<names>',
    defaultText: 'none',
    description: 'comma-separated server variables scripts inherit although they look like secrets',
    parse: listOf(parseVariableName),
  },
  {
    key: 'logFlushMs',
    env: 'STEPFLOW_LOG_FLUSH_MS',
    flag: '--log-flush-ms',
    valueName: '<ms>',
    defaultText: '50',
    description: 'longest wait before buffered log lines are committed (1-5000)',
    parse: integerIn(1, 5000),
  },
  {
    key: 'logBatchLines',
    env: 'STEPFLOW_LOG_BATCH_LINES',
    flag: '--log-batch-lines',
    valueName: '<n>',
    defaultText: '1000',
    description: 'most log lines per commit (1-100000)',
    parse: integerIn(1, 100_000),
  },
  {
    key: 'allowedOrigins',
    env: 'STEPFLOW_ALLOWED_ORIGINS',
    flag: '--allowed-origins',
    valueName: '<origins>',
    defaultText: 'none',
    description:
      'comma-separated browser origins allowed to make changes and use the WebSocket besides the server itself',
    parse: listOf(parseOrigin),
  },
  {
    key: 'allowedHosts',
    env: 'STEPFLOW_ALLOWED_HOSTS',
    flag: '--allowed-hosts',
    valueName: '<names>',
    defaultText: 'the bind address, localhost, 127.0.0.1, [::1]',
    description:
      'comma-separated Host names the server answers to (DNS-rebinding guard; * for any); checked with auth off, or whenever set',
    parse: listOf(parseHostName),
  },
  {
    key: 'artifactRoots',
    env: 'STEPFLOW_ARTIFACT_ROOTS',
    flag: '--artifact-roots',
    valueName: '<dirs>',
    defaultText: 'none',
    description: 'comma-separated directories ARTIFACT paths may point into besides the working directory',
    parse: listOf(parseExistingDirectory),
  },
  {
    key: 'maxArtifactBytes',
    env: 'STEPFLOW_MAX_ARTIFACT_BYTES',
    flag: '--max-artifact-bytes',
    valueName: '<bytes>',
    defaultText: '1073741824',
    description: 'largest artifact kept, in bytes',
    parse: integerIn(1, Number.MAX_SAFE_INTEGER),
  },
  {
    key: 'authEnabled',
    env: 'STEPFLOW_AUTH_ENABLED',
    flag: '--auth',
    valueName: '',
    defaultText: 'false',
    description: 'require an API key on every /api, /metrics and WebSocket request (except GET /api/health)',
    parse: parseSwitch,
  },
  {
    key: 'authMethod',
    env: 'STEPFLOW_AUTH_METHOD',
    flag: '--auth-method',
    valueName: '<api_key>',
    defaultText: 'api_key',
    description: 'how clients authenticate; only api_key is available',
    parse: oneOf(['api_key']),
  },
  {
    key: 'apiKey',
    env: 'STEPFLOW_API_KEY',
    flag: '--api-key',
    valueName: '<key>',
    defaultText: 'none',
    description: 'one admin API key (prefer the env var: flags show in ps)',
    parse: parseApiKey,
  },
  {
    key: 'allowUnauthenticated',
    env: 'STEPFLOW_ALLOW_UNAUTHENTICATED',
    flag: '--allow-unauthenticated',
    valueName: '',
    defaultText: 'false',
    description: 'start on a non-loopback address with auth off (anyone who reaches it can run commands)',
    parse: parseSwitch,
  },
  {
    key: 'sessionHours',
    env: 'STEPFLOW_SESSION_HOURS',
    flag: '--session-hours',
    valueName: '<hours>',
    defaultText: '12',
    description: 'lifetime of a dashboard sign-in (1-720)',
    parse: integerIn(1, 720),
  },
  {
    key: 'rateLimitCreatesPerMinute',
    env: 'STEPFLOW_RATE_LIMIT_CREATES_PER_MINUTE',
    flag: '--rate-limit-creates',
    valueName: '<n>',
    defaultText: '0 (off)',
    description: 'executions one key (or client address) may create per minute (0-1000000)',
    parse: integerIn(0, 1_000_000),
  },
  {
    key: 'rateLimitRequestsPerMinute',
    env: 'STEPFLOW_RATE_LIMIT_REQUESTS_PER_MINUTE',
    flag: '--rate-limit-requests',
    valueName: '<n>',
    defaultText: '0 (off)',
    description: 'API requests one key (or client address) may make per minute (0-1000000)',
    parse: integerIn(0, 1_000_000),
  },
  {
    key: 'authFailuresPerMinute',
    env: 'STEPFLOW_AUTH_FAILURES_PER_MINUTE',
    flag: '--auth-failures',
    valueName: '<n>',
    defaultText: '10',
    description:
      'failed authentications one client address may make per minute before it gets 429 (0 turns the limit off)',
    parse: integerIn(0, 1_000_000),
  },
  {
    key: 'maxQueued',
    env: 'STEPFLOW_MAX_QUEUED',
    flag: '--max-queued',
    valueName: '<n>',
    defaultText: '10000',
    description: 'most pending executions; creating more answers 503 queue_full (1-10000000)',
    parse: integerIn(1, 10_000_000),
  },
  {
    key: 'secretNamePatterns',
    env: 'STEPFLOW_SECRET_NAME_PATTERNS',
    flag: '--secret-names',
    valueName: '<patterns>',
    defaultText: '*TOKEN*,*SECRET*,*PASSWORD*,*_KEY',
    description:
      'comma-separated name patterns (* any text, case-insensitive) of environment variables whose values are masked in logs',
    parse: listOf(parseNamePattern),
  },
  {
    key: 'maxProcesses',
    env: 'STEPFLOW_MAX_PROCESSES',
    flag: '--max-processes',
    valueName: '<n>',
    defaultText: '512',
    description: 'most processes one execution may have at once (0 turns the cap off)',
    parse: integerIn(0, 4_194_304),
  },
  {
    key: 'retentionDays',
    env: 'STEPFLOW_RETENTION_DAYS',
    flag: '--retention-days',
    valueName: '<days>',
    defaultText: '0 (off)',
    description: 'delete finished executions older than this many days (0-36500)',
    parse: integerIn(0, 36_500),
  },
  {
    key: 'retentionMaxExecutions',
    env: 'STEPFLOW_RETENTION_MAX_EXECUTIONS',
    flag: '--retention-max-executions',
    valueName: '<n>',
    defaultText: '0 (off)',
    description: 'keep at most this many executions, deleting the oldest finished ones (0-1000000000)',
    parse: integerIn(0, 1_000_000_000),
  },
  {
    key: 'localExecutor',
    env: 'STEPFLOW_LOCAL_EXECUTOR',
    flag: '--local-executor',
    valueName: '<true|false>',
    defaultText: 'true',
    description: 'run executions on this server; false makes it a coordinator that only agents run work for',
    parse: parseSwitch,
  },
  {
    key: 'agentLostSeconds',
    env: 'STEPFLOW_AGENT_LOST_SECONDS',
    flag: '--agent-lost-seconds',
    valueName: '<seconds>',
    defaultText: '60',
    description: 'an agent not heard from for this long is lost and its executions fail (0.5-86400)',
    parse: secondsIn(0.5, 86_400),
  },
];
