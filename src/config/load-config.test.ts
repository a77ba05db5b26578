// Tests loadConfig: defaults, precedence of file < env < flags, validation lines, auth settings.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config.js';
import { ConfigError } from './config-error.js';

let dir = '';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected loadConfig to throw ConfigError');
}

function writeConfig(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('loadConfig', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-config-'));
    mkdirSync(join(dir, 'work'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the documented defaults when nothing is set', () => {
    const config = loadConfig({ flags: {}, env: {}, cwd: dir });
    assert.deepEqual(config, {
      host: '127.0.0.1',
      port: 8080,
      websocketHost: '127.0.0.1',
      websocketPort: 8765,
      websocketPortIsDefault: true,
      storagePath: join(dir, 'data'),
      artifactPath: join(dir, 'data', 'artifacts'),
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
      defaultWorkingDirectory: dir,
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
    const config = loadConfig({ flags: {}, env: {}, cwd: dir });
    assert.ok(Object.isFrozen(config));
    assert.throws(() => {
      (config as { port: number }).port = 1;
    }, TypeError);
  });

  it('lets file beat defaults, env beat file and flags beat env on the same key', () => {
    const file = writeConfig('precedence.json', { port: 1001, maxConcurrent: 3 });
    const fromFile = loadConfig({ flags: { config: file }, env: {}, cwd: dir });
    assert.equal(fromFile.port, 1001);
    const fromEnv = loadConfig({ flags: { config: file }, env: { STEPFLOW_PORT: '1002' }, cwd: dir });
    assert.equal(fromEnv.port, 1002);
    assert.equal(fromEnv.maxConcurrent, 3);
    const fromFlag = loadConfig({ flags: { config: file, port: '1003' }, env: { STEPFLOW_PORT: '1002' }, cwd: dir });
    assert.equal(fromFlag.port, 1003);
  });

  it('reads the config file named by STEPFLOW_CONFIG, and --config wins over it', () => {
    const a = writeConfig('a.json', { logLevel: 'debug' });
    const b = writeConfig('b.json', { logLevel: 'warn' });
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_CONFIG: a }, cwd: dir }).logLevel, 'debug');
    assert.equal(loadConfig({ flags: { config: b }, env: { STEPFLOW_CONFIG: a }, cwd: dir }).logLevel, 'warn');
  });

  it('reads every setting from its STEPFLOW_* variable', () => {
    const config = loadConfig({
      flags: {},
      cwd: dir,
      env: {
        STEPFLOW_HOST: '0.0.0.0',
        STEPFLOW_PORT: '0',
        STEPFLOW_WEBSOCKET_HOST: '::1',
        STEPFLOW_WEBSOCKET_PORT: '0',
        STEPFLOW_STORAGE_PATH: '/var/lib/stepflow',
        STEPFLOW_ARTIFACT_PATH: dir,
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
        STEPFLOW_ARTIFACT_ROOTS: `${dir},work`,
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
        STEPFLOW_WORKING_ROOTS: `work, ${dir}`,
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
      artifactPath: realpathSync(dir),
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
      defaultWorkingDirectory: join(dir, 'work'),
      logFlushMs: 5000,
      logBatchLines: 1,
      workingRoots: [realpathSync(join(dir, 'work')), realpathSync(dir)],
      runAs: 'builder',
      childEnvPassthrough: ['NPM_TOKEN', 'DATABASE_URL'],
      allowedOrigins: ['https://ci.example.com', 'http://127.0.0.1:3000'],
      allowedHosts: ['ci.example.com', '[::1]', '*'],
      artifactRoots: [dir, join(dir, 'work')],
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
    assert.equal(loadConfig({ flags: { host: '0.0.0.0' }, env: {}, cwd: dir }).websocketHost, '0.0.0.0');
  });

  it('resolves a relative storage path against cwd', () => {
    assert.equal(
      loadConfig({ flags: { storagePath: 'state/db' }, env: {}, cwd: dir }).storagePath,
      join(dir, 'state', 'db'),
    );
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_PORT: '' }, cwd: dir }).port, 8080);
  });

  it('names the source and key of every bad value', () => {
    const problems = problemsOf(() =>
      loadConfig({
        flags: {},
        cwd: dir,
        env: {
          STEPFLOW_HOST: ' ',
          STEPFLOW_PORT: 'abc',
          STEPFLOW_WEBSOCKET_HOST: 'a b',
          STEPFLOW_WEBSOCKET_PORT: '65536',
          STEPFLOW_LOG_LEVEL: 'loud',
          STEPFLOW_CACHE_SIZE: '0',
          STEPFLOW_WAL_AUTOCHECKPOINT: '1.5',
          STEPFLOW_MAX_CONCURRENT: '2000',
          STEPFLOW_KILL_GRACE_SECONDS: '-1',
          STEPFLOW_MARKER_MODE: 'everywhere',
          STEPFLOW_MARKERS: 'github,jenkins',
          STEPFLOW_WORKING_DIRECTORY: 'missing',
          STEPFLOW_LOG_FLUSH_MS: '0',
          STEPFLOW_LOG_BATCH_LINES: '10x',
        },
      }),
    );
    assert.deepEqual(problems, [
      'STEPFLOW_HOST: " " is not a host name or IP address',
      'STEPFLOW_PORT: "abc" is not a port number (0-65535)',
      'STEPFLOW_WEBSOCKET_HOST: "a b" is not a host name or IP address',
      'STEPFLOW_WEBSOCKET_PORT: 65536 is not a port number (0-65535)',
      'STEPFLOW_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'STEPFLOW_CACHE_SIZE: must be an integer from 1 to 16777216, got 0',
      'STEPFLOW_WAL_AUTOCHECKPOINT: must be an integer from 1 to 1000000, got 1.5',
      'STEPFLOW_MAX_CONCURRENT: must be an integer from 1 to 1024, got 2000',
      'STEPFLOW_KILL_GRACE_SECONDS: must be a number of seconds from 0 to 3600, got -1',
      'STEPFLOW_MARKER_MODE: must be one of line_start, anywhere, got "everywhere"',
      'STEPFLOW_MARKERS: "jenkins" is not a marker dialect (stepflow, github, gitlab, azure, teamcity, buildkite, tap)',
      `STEPFLOW_WORKING_DIRECTORY: directory ${join(dir, 'missing')} does not exist`,
      'STEPFLOW_LOG_FLUSH_MS: must be an integer from 1 to 5000, got 0',
      'STEPFLOW_LOG_BATCH_LINES: must be an integer from 1 to 100000, got "10x"',
    ]);
  });

  it('refuses a database URL that is not PostgreSQL or names no database, never echoing its password', () => {
    const problems = problemsOf(() =>
      loadConfig({
        flags: { databaseUrl: 'mysql://u:hunter2@db/stepflow' },
        cwd: dir,
        env: { STEPFLOW_DATABASE_URL: 'postgres://u:hunter2@db:5432', STEPFLOW_DATABASE_POOL: '0' },
      }),
    );
    assert.deepEqual(problems, [
      'STEPFLOW_DATABASE_URL: names no database (…/stepflow at the end): postgres://u:***@db:5432',
      'STEPFLOW_DATABASE_POOL: must be an integer from 1 to 1000, got 0',
      '--database-url: must be a postgres:// or postgresql:// URL, got mysql://u:***@db/stepflow',
    ]);
  });

  it('reports problems from file, env and flags together, naming each source', () => {
    const file = writeConfig('bad.json', { port: 'http', logFlushMs: 9999 });
    const problems = problemsOf(() =>
      loadConfig({
        flags: { config: file, maxConcurrent: 0 },
        env: { STEPFLOW_PORT: 'abc' },
        cwd: dir,
      }),
    );
    assert.deepEqual(problems, [
      `${file}: port: "http" is not a port number (0-65535)`,
      `${file}: logFlushMs: must be an integer from 1 to 5000, got 9999`,
      'STEPFLOW_PORT: "abc" is not a port number (0-65535)',
      '--max-concurrent: must be an integer from 1 to 1024, got 0',
    ]);
  });

  it('refuses a storage path that is a file', () => {
    const file = writeConfig('not-a-dir', 'x');
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: { storagePath: file }, env: {}, cwd: dir })),
      [`--storage: ${file} exists and is not a directory`],
    );
  });

  it('reports an unknown key in the config file, with a hint for near misses', () => {
    const file = writeConfig('unknown.json', { max_concurrent: 2, colour: 'blue' });
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: { config: file }, env: {}, cwd: dir })),
      [`${file}: unknown key "max_concurrent" (did you mean "maxConcurrent"?)`, `${file}: unknown key "colour"`],
    );
  });

  it('reports a missing config file by path and source', () => {
    const problems = problemsOf(() => loadConfig({ flags: {}, env: { STEPFLOW_CONFIG: 'nope.json' }, cwd: dir }));
    assert.deepEqual(problems, [`STEPFLOW_CONFIG: cannot use config file ${join(dir, 'nope.json')}: file not found`]);
  });

  it('reports an unparseable or non-object config file', () => {
    const broken = writeConfig('broken.json', '{ "port": ');
    const [line] = problemsOf(() => loadConfig({ flags: { config: broken }, env: {}, cwd: dir }));
    assert.match(line ?? '', new RegExp(`^--config: cannot use config file ${broken}: not valid JSON`));
    const list = writeConfig('list.json', [1]);
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: { config: list }, env: {}, cwd: dir })),
      [`${list}: must contain a JSON object of settings`],
    );
  });

  it('turns authentication on from any source, with the API key from the environment', () => {
    const file = writeConfig('auth.json', { authEnabled: true });
    assert.equal(loadConfig({ flags: { config: file }, env: {}, cwd: dir }).authEnabled, true);
    assert.equal(loadConfig({ flags: { authEnabled: true }, env: {}, cwd: dir }).authEnabled, true);
    const config = loadConfig({
      flags: {},
      env: { STEPFLOW_AUTH_ENABLED: 'yes', STEPFLOW_API_KEY: 'k'.repeat(32) },
      cwd: dir,
    });
    assert.deepEqual([config.authEnabled, config.apiKey], [true, 'k'.repeat(32)]);
  });

  it('refuses an auth switch it cannot read, and accepts an explicit false', () => {
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env: { STEPFLOW_AUTH_ENABLED: 'maybe' }, cwd: dir })),
      ['STEPFLOW_AUTH_ENABLED: "maybe" is not true or false'],
    );
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_AUTH_ENABLED: 'false' }, cwd: dir }).port, 8080);
  });

  it('resolves working roots through symlinks, so they compare with resolved working directories', () => {
    symlinkSync(join(dir, 'work'), join(dir, 'work-link'));
    assert.deepEqual(loadConfig({ flags: { workingRoots: 'work-link' }, env: {}, cwd: dir }).workingRoots, [
      realpathSync(join(dir, 'work')),
    ]);
  });

  it('refuses a missing working root, a malformed run-as user and a passthrough entry that is no variable name', () => {
    const env = {
      STEPFLOW_WORKING_ROOTS: 'missing',
      STEPFLOW_RUN_AS: 'bad user',
      STEPFLOW_CHILD_ENV_PASSTHROUGH: 'OK_NAME,1BAD',
    };
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env, cwd: dir })),
      [
        `STEPFLOW_WORKING_ROOTS: directory ${join(dir, 'missing')} does not exist`,
        'STEPFLOW_RUN_AS: "bad user" is not a user name or uid',
        'STEPFLOW_CHILD_ENV_PASSTHROUGH: "1BAD" is not an environment variable name',
      ],
    );
  });

  it('refuses an auth method other than api_key and a short API key without echoing it', () => {
    const env = { STEPFLOW_AUTH_METHOD: 'oidc', STEPFLOW_API_KEY: 'short' };
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env, cwd: dir })),
      [
        'STEPFLOW_AUTH_METHOD: must be one of api_key, got "oidc"',
        'STEPFLOW_API_KEY: must be at least 16 characters without spaces (the value is not shown)',
      ],
    );
  });
});
