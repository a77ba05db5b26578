// Tests loadConfig: defaults, precedence of file < env < flags, validation lines, auth settings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config.js';
import { useConfigDir } from './load-config-fixtures.js';

describe('loadConfig', () => {
  const scratch = useConfigDir();
  const writeConfig = scratch.writeConfig;

  it('returns the documented defaults when nothing is set', () => {
    const config = loadConfig({ flags: {}, env: {}, cwd: scratch.dir });
    assert.deepEqual(config, {
      host: '127.0.0.1',
      port: 8080,
      websocketHost: '127.0.0.1',
      websocketPort: 8765,
      websocketPortIsDefault: true,
      storagePath: join(scratch.dir, 'data'),
      artifactPath: join(scratch.dir, 'data', 'artifacts'),
      databaseUrl: null,
      databasePool: 10,
      databaseReadUrl: null,
      readYourWritesSeconds: 10,
      outageBufferMb: 64,
      serverName: `${hostname()}:8080`,
      serverLostSeconds: 30,
      logLevel: 'info',
      cacheSizeKib: 65536,
      walAutocheckpoint: 1000,
      maxConcurrent: 16,
      killGraceSeconds: 5,
      markerMode: 'line_start',
      markers: ['stepflow', 'github', 'gitlab'],
      defaultWorkingDirectory: scratch.dir,
      workingRoots: [],
      runAs: null,
      childEnvPassthrough: [],
      logFlushMs: 50,
      logBatchLines: 1000,
      allowedOrigins: [],
      allowedHosts: [],
      artifactRoots: [],
      maxArtifactBytes: 1_073_741_824,
      authEnabled: false,
      authMethod: 'api_key',
      apiKey: null,
      allowUnauthenticated: false,
      sessionHours: 12,
      rateLimitCreatesPerMinute: 0,
      rateLimitRequestsPerMinute: 0,
      authFailuresPerMinute: 10,
      maxQueued: 10_000,
      secretNamePatterns: ['*TOKEN*', '*SECRET*', '*PASSWORD*', '*_KEY'],
      maxProcesses: 512,
      retentionDays: 0,
      retentionMaxExecutions: 0,
      localExecutor: true,
      agentLostSeconds: 60,
    });
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ flags: {}, env: {}, cwd: scratch.dir });
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  it('lets file beat defaults, env beat file and flags beat env on the same key', () => {
    const file = writeConfig('precedence.json', { port: 1001, maxConcurrent: 3 });
    const fromFile = loadConfig({ flags: { config: file }, env: {}, cwd: scratch.dir });
    assert.equal(fromFile.port, 1001);
    const fromEnv = loadConfig({ flags: { config: file }, env: { STEPFLOW_PORT: '1002' }, cwd: scratch.dir });
    assert.equal(fromEnv.port, 1002);
    assert.equal(fromEnv.maxConcurrent, 3);
    const fromFlag = loadConfig({
      flags: { config: file, port: '1003' },
      env: { STEPFLOW_PORT: '1002' },
      cwd: scratch.dir,
    });
    assert.equal(fromFlag.port, 1003);
  });

  it('reads the config file named by STEPFLOW_CONFIG, and --config wins over it', () => {
    const a = writeConfig('a.json', { logLevel: 'debug' });
    const b = writeConfig('b.json', { logLevel: 'warn' });
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_CONFIG: a }, cwd: scratch.dir }).logLevel, 'debug');
    assert.equal(loadConfig({ flags: { config: b }, env: { STEPFLOW_CONFIG: a }, cwd: scratch.dir }).logLevel, 'warn');
  });

  it('reads every setting from its STEPFLOW_* variable', () => {
    const config = loadConfig({
      flags: {},
      cwd: scratch.dir,
      env: {
        STEPFLOW_HOST: '0.0.0.0',
        STEPFLOW_PORT: '0',
        STEPFLOW_WEBSOCKET_HOST: '::1',
        STEPFLOW_WEBSOCKET_PORT: '0',
        STEPFLOW_STORAGE_PATH: '/var/lib/stepflow',
        STEPFLOW_ARTIFACT_PATH: scratch.dir,
        STEPFLOW_DATABASE_URL: 'postgres://sf:pw@db.internal:5432/stepflow',
        STEPFLOW_DATABASE_POOL: '25',
        STEPFLOW_DATABASE_READ_URL: 'postgres://sf:pw@replica.internal:5432/stepflow',
        STEPFLOW_READ_YOUR_WRITES_SECONDS: '3',
        STEPFLOW_OUTAGE_BUFFER_MB: '8',
        STEPFLOW_SERVER_NAME: 'ci-1.example:8080',
        STEPFLOW_SERVER_LOST_SECONDS: '5',
        STEPFLOW_LOG_LEVEL: 'trace',
        STEPFLOW_CACHE_SIZE: '2048',
        STEPFLOW_WAL_AUTOCHECKPOINT: '500',
        STEPFLOW_MAX_CONCURRENT: '1024',
        STEPFLOW_KILL_GRACE_SECONDS: '0.5',
        STEPFLOW_MARKER_MODE: 'anywhere',
        STEPFLOW_MARKERS: 'TAP, teamcity',
        STEPFLOW_WORKING_DIRECTORY: 'work',
        STEPFLOW_LOG_FLUSH_MS: '5000',
        STEPFLOW_LOG_BATCH_LINES: '1',
        STEPFLOW_ALLOWED_ORIGINS: 'https://ci.example.com, http://127.0.0.1:3000/',
        STEPFLOW_ARTIFACT_ROOTS: `${scratch.dir},work`,
        STEPFLOW_MAX_ARTIFACT_BYTES: '1024',
        STEPFLOW_AUTH_ENABLED: 'true',
        STEPFLOW_AUTH_METHOD: 'api_key',
        STEPFLOW_API_KEY: 'k'.repeat(20),
        STEPFLOW_ALLOW_UNAUTHENTICATED: '1',
        STEPFLOW_SESSION_HOURS: '2',
        STEPFLOW_RATE_LIMIT_CREATES_PER_MINUTE: '5',
        STEPFLOW_RATE_LIMIT_REQUESTS_PER_MINUTE: '600',
        STEPFLOW_MAX_QUEUED: '7',
        STEPFLOW_ALLOWED_HOSTS: 'CI.example.com,[::1],*',
        STEPFLOW_AUTH_FAILURES_PER_MINUTE: '0',
        STEPFLOW_SECRET_NAME_PATTERNS: '*TOKEN*, DB_PASS',
        STEPFLOW_MAX_PROCESSES: '0',
        STEPFLOW_RETENTION_DAYS: '30',
        STEPFLOW_RETENTION_MAX_EXECUTIONS: '1000',
        STEPFLOW_LOCAL_EXECUTOR: 'false',
        STEPFLOW_AGENT_LOST_SECONDS: '2.5',
        STEPFLOW_WORKING_ROOTS: `work, ${scratch.dir}`,
        STEPFLOW_RUN_AS: 'builder',
        STEPFLOW_CHILD_ENV_PASSTHROUGH: 'NPM_TOKEN, DATABASE_URL',
      },
    });
    assert.deepEqual(config, {
      host: '0.0.0.0',
      port: 0,
      websocketHost: '::1',
      websocketPort: 0,
      websocketPortIsDefault: false,
      storagePath: '/var/lib/stepflow',
      artifactPath: realpathSync(scratch.dir),
      databaseUrl: 'postgres://sf:pw@db.internal:5432/stepflow',
      databasePool: 25,
      databaseReadUrl: 'postgres://sf:pw@replica.internal:5432/stepflow',
      readYourWritesSeconds: 3,
      outageBufferMb: 8,
      serverName: 'ci-1.example:8080',
      serverLostSeconds: 5,
      logLevel: 'trace',
      cacheSizeKib: 2048,
      walAutocheckpoint: 500,
      maxConcurrent: 1024,
      killGraceSeconds: 0.5,
      markerMode: 'anywhere',
      markers: ['tap', 'teamcity'],
      defaultWorkingDirectory: join(scratch.dir, 'work'),
      logFlushMs: 5000,
      logBatchLines: 1,
      workingRoots: [realpathSync(join(scratch.dir, 'work')), realpathSync(scratch.dir)],
      runAs: 'builder',
      childEnvPassthrough: ['NPM_TOKEN', 'DATABASE_URL'],
      allowedOrigins: ['https://ci.example.com', 'http://127.0.0.1:3000'],
      allowedHosts: ['ci.example.com', '[::1]', '*'],
      artifactRoots: [scratch.dir, join(scratch.dir, 'work')],
      maxArtifactBytes: 1024,
      authEnabled: true,
      authMethod: 'api_key',
      apiKey: 'k'.repeat(20),
      allowUnauthenticated: true,
      sessionHours: 2,
      rateLimitCreatesPerMinute: 5,
      rateLimitRequestsPerMinute: 600,
      authFailuresPerMinute: 0,
      maxQueued: 7,
      secretNamePatterns: ['*TOKEN*', 'DB_PASS'],
      maxProcesses: 0,
      retentionDays: 30,
      retentionMaxExecutions: 1000,
      localExecutor: false,
      agentLostSeconds: 2.5,
    });
  });

  it('defaults websocketHost to the effective host', () => {
    assert.equal(loadConfig({ flags: { host: '0.0.0.0' }, env: {}, cwd: scratch.dir }).websocketHost, '0.0.0.0');
  });

  it('resolves a relative storage path against cwd', () => {
    assert.equal(
      loadConfig({ flags: { storagePath: 'state/db' }, env: {}, cwd: scratch.dir }).storagePath,
      join(scratch.dir, 'state', 'db'),
    );
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_PORT: '' }, cwd: scratch.dir }).port, 8080);
  });
});
