// Hardened mode (STEPFLOW_RUN_AS): scripts run as an unprivileged user who cannot read the storage or the server's environment.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import { isProcessGroupAlive } from '../../src/runner/kill-process-group.js';
import { startServer, testConfig, type TestServer } from './harness.js';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const NOBODY = lookUp('nobody');
const OTHER = lookUp('daemon');

function lookUp(name: string): { uid: number; gid: number } | null {
  const fields = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.split(':');
  return fields.length > 3 ? { uid: Number(fields[2]), gid: Number(fields[3]) } : null;
}

// Switching users needs root; CI and this project's machines run as root, a developer's laptop may not.
const skip =
  process.getuid?.() !== 0
    ? 'needs root: only a root server can run scripts as another user'
    : NOBODY === null
      ? 'needs the user nobody'
      : false;

/** A fresh directory anyone may enter, for scripts that run as nobody. */
function openDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Waits for a condition, polling; gives up (failing the test) after 15 s so a broken run cannot hang the suite. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 15 s');
    await sleep(25);
  }
}

async function output(server: TestServer, id: string): Promise<string[]> {
  return (await server.allLines(id)).map((line) => `${line.stream}:${line.content}`);
}

describe('STEPFLOW_RUN_AS=nobody', { skip }, () => {
  let server: TestServer;
  let storage = '';
  let workdir = '';

  before(async () => {
    // Made readable on purpose: the server must close it to the scripts' user itself.
    storage = openDirectory('stepflow-runas-storage-');
    workdir = openDirectory('stepflow-runas-work-');
    server = await startServer({ runAs: 'nobody', defaultWorkingDirectory: workdir }, storage);
  });
  after(async () => {
    await server?.close();
    rmSync(storage, { recursive: true, force: true });
    rmSync(workdir, { recursive: true, force: true });
  });

  it("runs the script as nobody with nobody's identity and none of the server's groups", async () => {
    const id = await server.create({ command: 'id -u; id -g; id -G; echo "$HOME $USER $LOGNAME"' });
    assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
    assert.deepEqual(await output(server, id), [
      `stdout:${NOBODY!.uid}`,
      `stdout:${NOBODY!.gid}`,
      `stdout:${NOBODY!.gid}`,
      'stdout:/nonexistent nobody nobody',
    ]);
  });

  it('lets the script reopen its own output pipes as nobody (echo > /dev/stdout, tee /dev/stderr)', async () => {
    const id = await server.create({ command: 'echo a > /dev/stdout; echo b | tee /dev/stderr >/dev/null' });
    assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
    assert.deepEqual(await output(server, id), ['stdout:a', 'stderr:b']);
  });

  it('makes the storage directory private: the script cannot read the database', async () => {
    assert.equal(statSync(storage).mode & 0o777, 0o700);
    const db = join(storage, 'stepflow.db');
    const id = await server.create({
      command: `cat '${db}' >/dev/null 2>&1 && echo readable || echo denied; ls '${storage}' >/dev/null 2>&1 && echo listed || echo denied`,
    });
    await server.waitForEnd(id);
    assert.deepEqual(await output(server, id), ['stdout:denied', 'stdout:denied']);
  });

  it("keeps the server's environment out of reach: /proc/<server pid>/environ cannot be read", async () => {
    const id = await server.create({
      command: `cat /proc/${process.pid}/environ >/dev/null 2>&1 && echo readable || echo denied`,
    });
    await server.waitForEnd(id);
    assert.deepEqual(await output(server, id), ['stdout:denied']);
  });

  it("still stops the script's process group when cancelled", async () => {
    const id = await server.create({ command: 'echo $$; sleep 300' });
    await until(async () => (await server.allLines(id)).length > 0);
    const pgid = Number((await server.allLines(id))[0]?.content);
    assert.equal((await server.request('POST', `/api/executions/${id}/cancel`)).status, 200);
    assert.equal((await server.waitForEnd(id)).execution.status, 'cancelled');
    await until(async () => !isProcessGroupAlive(pgid));
  });

  it('keeps only artifacts nobody could read (regression: the root server fetched the database, /etc/shadow and its own environ for the script)', async () => {
    writeFileSync(join(workdir, 'public.txt'), 'public');
    writeFileSync(join(workdir, 'private.txt'), 'private', { mode: 0o600 });
    mkdirSync(join(workdir, 'bundle', 'locked'), { recursive: true, mode: 0o755 });
    chmodSync(join(workdir, 'bundle', 'locked'), 0o700);
    writeFileSync(join(workdir, 'bundle', 'a.txt'), 'a');
    writeFileSync(join(workdir, 'bundle', 'secret.txt'), 'secret', { mode: 0o600 });
    writeFileSync(join(workdir, 'bundle', 'locked', 'x.txt'), 'x');
    const announced = [
      join(storage, 'stepflow.db'),
      '/etc/shadow',
      `/proc/${process.pid}/environ`,
      join(workdir, 'private.txt'),
      join(workdir, 'public.txt'),
      join(workdir, 'bundle'),
    ];
    const id = await server.create({
      command: announced.map((path) => `echo 'ARTIFACT:${path}'`).join('; '),
      working_directory: '/',
    });
    await server.waitForEnd(id);
    const { body } = await server.request<{ artifacts: { id: number; name: string }[] }>(
      'GET',
      `/api/artifacts?execution_id=${id}`,
    );
    const kept = body.data?.artifacts ?? [];
    assert.deepEqual(kept.map((artifact) => artifact.name).sort(), [
      join(workdir, 'bundle'),
      join(workdir, 'public.txt'),
    ]);
    const warnings = (await server.allLines(id)).filter((line) => line.stream === 'system').map((line) => line.content);
    for (const path of announced.slice(0, 4))
      assert.ok(
        warnings.some((line) => line.includes(`"${path}" refused`) && line.includes('not readable by user nobody')),
        `${path}: ${warnings.join(' | ')}`,
      );
    const bundle = kept.find((artifact) => artifact.name.endsWith('bundle'))!;
    const archive = Buffer.from(await (await fetch(`${server.url}/api/artifacts/${bundle.id}/download`)).arrayBuffer());
    const entries = spawnSync('tar', ['-tzf', '-'], { input: archive, encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .sort();
    assert.deepEqual(entries, ['bundle/', 'bundle/a.txt']);
  });

  it('fails an execution whose working directory nobody cannot enter, saying so', async () => {
    const closed = join(workdir, 'closed');
    mkdirSync(closed, { mode: 0o700 });
    const id = await server.create({ command: 'echo ran', working_directory: closed });
    const { execution } = await server.waitForEnd(id);
    assert.equal(execution.status, 'failed');
    assert.match(
      execution.error_message ?? '',
      new RegExp(`working directory ${closed} is not accessible to user nobody`),
    );
    assert.equal((await output(server, id)).includes('stdout:ran'), false);
  });
});

describe('STEPFLOW_RUN_AS refuses to start', { skip }, () => {
  let storage = '';
  before(() => (storage = mkdtempSync(join(tmpdir(), 'stepflow-runas-refuse-'))));
  after(() => rmSync(storage, { recursive: true, force: true }));

  it('for a user that does not exist', async () => {
    await assert.rejects(
      startApp(testConfig(storage, { runAs: 'stepflow-no-such-user' })),
      /^Error: STEPFLOW_RUN_AS=stepflow-no-such-user: no such user$/,
    );
  });

  it('for root', async () => {
    await assert.rejects(
      startApp(testConfig(storage, { runAs: 'root' })),
      /STEPFLOW_RUN_AS=root: refusing to run scripts as root/,
    );
  });

  it('when the server is not root: one line on stderr and exit 1', async (t) => {
    if (OTHER === null) return t.skip('needs the user daemon as the target');
    // The CLI runs as nobody, so it must be able to read this checkout.
    const probe = spawnSync(process.execPath, ['-e', 'require("node:fs").accessSync(process.argv[1])', MAIN], {
      uid: NOBODY!.uid,
      gid: NOBODY!.gid,
    });
    if (probe.status !== 0) return t.skip(`nobody cannot read ${MAIN}`);
    const child = spawn(
      process.execPath,
      ['--import', TSX, MAIN, 'serve', '--run-as', 'daemon', '--port', '0', '--ws-port', '0', '--storage', storage],
      {
        cwd: tmpdir(),
        uid: NOBODY!.uid,
        gid: NOBODY!.gid,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(code, 1);
    assert.match(
      stderr,
      new RegExp(
        `^stepflow: cannot start: STEPFLOW_RUN_AS=daemon: the server \\(uid ${NOBODY!.uid}\\) cannot switch scripts to another user; start it as root[^\\n]*\\n$`,
      ),
    );
  });
});
