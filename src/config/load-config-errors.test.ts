// Tests loadConfig's refusals: every bad value names its source and key, and secrets are never echoed.
import assert from 'node:assert/strict';
import { realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from './load-config.js';
import { problemsOf, useConfigDir } from './load-config-fixtures.js';

describe('loadConfig refusals', () => {
  const scratch = useConfigDir();
  const writeConfig = scratch.writeConfig;

  it('names the source and key of every bad value', () => {
    const problems = problemsOf(() =>
      loadConfig({
        flags: {},
        cwd: scratch.dir,
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
      `STEPFLOW_WORKING_DIRECTORY: directory ${join(scratch.dir, 'missing')} does not exist`,
      'STEPFLOW_LOG_FLUSH_MS: must be an integer from 1 to 5000, got 0',
      'STEPFLOW_LOG_BATCH_LINES: must be an integer from 1 to 100000, got "10x"',
    ]);
  });

  it('refuses a database URL that is not PostgreSQL or names no database, never echoing its password', () => {
    const problems = problemsOf(() =>
      loadConfig({
        flags: { databaseUrl: 'mysql://u:hunter2@db/stepflow' },
        cwd: scratch.dir,
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
        cwd: scratch.dir,
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
      problemsOf(() => loadConfig({ flags: { storagePath: file }, env: {}, cwd: scratch.dir })),
      [`--storage: ${file} exists and is not a directory`],
    );
  });

  it('reports an unknown key in the config file, with a hint for near misses', () => {
    const file = writeConfig('unknown.json', { max_concurrent: 2, colour: 'blue' });
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: { config: file }, env: {}, cwd: scratch.dir })),
      [`${file}: unknown key "max_concurrent" (did you mean "maxConcurrent"?)`, `${file}: unknown key "colour"`],
    );
  });

  it('reports a missing config file by path and source', () => {
    const problems = problemsOf(() =>
      loadConfig({ flags: {}, env: { STEPFLOW_CONFIG: 'nope.json' }, cwd: scratch.dir }),
    );
    assert.deepEqual(problems, [
      `STEPFLOW_CONFIG: cannot use config file ${join(scratch.dir, 'nope.json')}: file not found`,
    ]);
  });

  it('reports an unparseable or non-object config file', () => {
    const broken = writeConfig('broken.json', '{ "port": ');
    const [line] = problemsOf(() => loadConfig({ flags: { config: broken }, env: {}, cwd: scratch.dir }));
    assert.match(line ?? '', new RegExp(`^--config: cannot use config file ${broken}: not valid JSON`));
    const list = writeConfig('list.json', [1]);
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: { config: list }, env: {}, cwd: scratch.dir })),
      [`${list}: must contain a JSON object of settings`],
    );
  });

  it('turns authentication on from any source, with the API key from the environment', () => {
    const file = writeConfig('auth.json', { authEnabled: true });
    assert.equal(loadConfig({ flags: { config: file }, env: {}, cwd: scratch.dir }).authEnabled, true);
    assert.equal(loadConfig({ flags: { authEnabled: true }, env: {}, cwd: scratch.dir }).authEnabled, true);
    const config = loadConfig({
      flags: {},
      env: { STEPFLOW_AUTH_ENABLED: 'yes', STEPFLOW_API_KEY: 'k'.repeat(32) },
      cwd: scratch.dir,
    });
    assert.deepEqual([config.authEnabled, config.apiKey], [true, 'k'.repeat(32)]);
  });

  it('refuses an auth switch it cannot read, and accepts an explicit false', () => {
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env: { STEPFLOW_AUTH_ENABLED: 'maybe' }, cwd: scratch.dir })),
      ['STEPFLOW_AUTH_ENABLED: "maybe" is not true or false'],
    );
    assert.equal(loadConfig({ flags: {}, env: { STEPFLOW_AUTH_ENABLED: 'false' }, cwd: scratch.dir }).port, 8080);
  });

  it('resolves working roots through symlinks, so they compare with resolved working directories', () => {
    symlinkSync(join(scratch.dir, 'work'), join(scratch.dir, 'work-link'));
    assert.deepEqual(loadConfig({ flags: { workingRoots: 'work-link' }, env: {}, cwd: scratch.dir }).workingRoots, [
      realpathSync(join(scratch.dir, 'work')),
    ]);
  });

  it('refuses a missing working root, a malformed run-as user and a passthrough entry that is no variable name', () => {
    const env = {
      STEPFLOW_WORKING_ROOTS: 'missing',
      STEPFLOW_RUN_AS: 'bad user',
      STEPFLOW_CHILD_ENV_PASSTHROUGH: 'OK_NAME,1BAD',
    };
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env, cwd: scratch.dir })),
      [
        `STEPFLOW_WORKING_ROOTS: directory ${join(scratch.dir, 'missing')} does not exist`,
        'STEPFLOW_RUN_AS: "bad user" is not a user name or uid',
        'STEPFLOW_CHILD_ENV_PASSTHROUGH: "1BAD" is not an environment variable name',
      ],
    );
  });

  it('refuses an auth method other than api_key and a short API key without echoing it', () => {
    const env = { STEPFLOW_AUTH_METHOD: 'oidc', STEPFLOW_API_KEY: 'short' };
    assert.deepEqual(
      problemsOf(() => loadConfig({ flags: {}, env, cwd: scratch.dir })),
      [
        'STEPFLOW_AUTH_METHOD: must be one of api_key, got "oidc"',
        'STEPFLOW_API_KEY: must be at least 16 characters without spaces (the value is not shown)',
      ],
    );
  });
});
