// Tests the real `stepflow` process: config errors exit 2 with one line each, help lists every flag and ends with examples (checked in-process on the same command tree). Never starts a server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CommanderError, type Command } from 'commander';
import { readCliSettings } from './cli-settings.js';
import { createProgram } from './create-program.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// The developer's own STEPFLOW_* settings must not leak into what these tests see.
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('STEPFLOW_')) env[key] = value;
  }
  return { ...env, ...extra };
}

function stepflow(
  args: string[],
  extraEnv: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: cleanEnv(extraEnv),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('stepflow serve', () => {
  it('exits 2 with one stderr line per configuration problem', () => {
    const { status, stdout, stderr } = stepflow(['serve', '--port', 'abc', '--max-concurrent', '0']);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.deepEqual(stderr.trimEnd().split('\n'), [
      'stepflow: --port: "abc" is not a port number (0-65535)',
      'stepflow: --max-concurrent: must be an integer from 1 to 1024, got 0',
    ]);
  });

  it('refuses to bind a public address with auth off, in one line', () => {
    const { status, stderr } = stepflow(['serve', '--host', '0.0.0.0']);
    assert.equal(status, 2);
    assert.match(stderr.trimEnd(), /^stepflow: refusing to bind 0\.0\.0\.0 without authentication[^\n]*$/);
  });

  it('lists every flag, with its env var, in --help', () => {
    const { status, stdout } = stepflow(['serve', '--help']);
    assert.equal(status, 0);
    const flags = [
      '--host',
      '--port',
      '--ws-host',
      '--ws-port',
      '--storage',
      '--log-level',
      '--cache-size',
      '--wal-autocheckpoint',
      '--max-concurrent',
      '--kill-grace',
      '--marker-mode <line_start|anywhere>',
      '--working-directory',
      '--log-flush-ms',
      '--log-batch-lines',
      '--config <file>',
      '--auth',
      '--api-key',
      '--allow-unauthenticated',
      '--max-queued',
      '--rate-limit-creates',
      '--rate-limit-requests',
    ];
    for (const flag of flags) assert.ok(stdout.includes(`  ${flag} `), `help is missing ${flag}`);
    // Help text wraps, so join lines before looking for env names.
    const text = stdout.replace(/\s+/g, ' ');
    for (const env of [
      'STEPFLOW_HOST',
      'STEPFLOW_PORT',
      'STEPFLOW_WEBSOCKET_HOST',
      'STEPFLOW_WEBSOCKET_PORT',
      'STEPFLOW_STORAGE_PATH',
      'STEPFLOW_LOG_LEVEL',
      'STEPFLOW_CACHE_SIZE',
      'STEPFLOW_WAL_AUTOCHECKPOINT',
      'STEPFLOW_MAX_CONCURRENT',
      'STEPFLOW_KILL_GRACE_SECONDS',
      'STEPFLOW_MARKER_MODE',
      'STEPFLOW_WORKING_DIRECTORY',
      'STEPFLOW_LOG_FLUSH_MS',
      'STEPFLOW_LOG_BATCH_LINES',
      'STEPFLOW_CONFIG',
      'STEPFLOW_AUTH_ENABLED',
      'STEPFLOW_API_KEY',
      'STEPFLOW_ALLOW_UNAUTHENTICATED',
      'STEPFLOW_MAX_QUEUED',
      'STEPFLOW_RATE_LIMIT_CREATES_PER_MINUTE',
      'STEPFLOW_RATE_LIMIT_REQUESTS_PER_MINUTE',
    ]) {
      assert.ok(text.includes(`env ${env},`), `help does not name ${env}`);
    }
  });

  it('exits 2 on an unknown flag', () => {
    const { status, stderr } = stepflow(['serve', '--bogus']);
    assert.equal(status, 2);
    assert.match(stderr, /^stepflow: unknown option '--bogus'/);
  });
});

describe('stepflow --version', () => {
  it('prints the package version', () => {
    const { status, stdout } = stepflow(['--version']);
    assert.equal(status, 0);
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

/** The help `stepflow ARGS --help` prints, from the same command tree in this process (a process each costs seconds). */
function helpOf(args: string[]): string {
  let out = '';
  const program = createProgram(readCliSettings({}, root, false));
  const capture = (command: Command): void => {
    command.configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (out += text) });
    command.commands.forEach(capture);
  };
  capture(program);
  try {
    program.parse([...args, '--help'], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError) || err.exitCode !== 0) throw err;
  }
  return out;
}

describe('stepflow <command> --help', () => {
  it('exits 0 from a real process, help on stdout', () => {
    const { status, stdout } = stepflow(['run', '--help']);
    assert.equal(status, 0);
    assert.equal(stdout, helpOf(['run']));
  });

  const commands = [
    ['serve'],
    ['run'],
    ['list'],
    ['logs'],
    ['cancel'],
    ['artifacts'],
    ['keys'],
    ['keys', 'create'],
    ['keys', 'list'],
    ['keys', 'revoke'],
  ];
  for (const command of commands) {
    it(`ends with examples of \`stepflow ${command.join(' ')}\``, () => {
      const stdout = helpOf(command);
      const examples = stdout.split('\nExamples:\n')[1];
      assert.ok(examples, `no Examples section in:\n${stdout}`);
      const lines = examples.trimEnd().split('\n');
      assert.ok(
        lines.every((line) => line.includes(`stepflow ${command.join(' ')}`) && / {2}# \S/.test(line)),
        examples,
      );
    });
  }
});
