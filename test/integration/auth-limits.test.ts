// The real CLI's `keys` commands and start-up refusal, plus rate limits (429 + Retry-After) and the pending-queue bound (503).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
const roots: string[] = [];
after(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-auth-'));
  roots.push(dir);
  return dir;
}

function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('STEPFLOW_'),
    ),
  );
}

// Synchronous is fine here: no server runs in this process while the keys commands do.
function stepflow(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    env: cleanEnv(),
    encoding: 'utf8',
    cwd: FIXTURES,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Spawns the CLI without blocking, so a server in this process keeps answering. */
function stepflowAsync(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      env: { ...cleanEnv(), ...env },
      cwd: FIXTURES,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('stepflow keys', () => {
  it('creates a key shown once, lists it without its secret, and revokes it (then it answers 401)', async () => {
    const storage = tempDir();
    const created = stepflow(['keys', 'create', '--name', 'ci', '--role', 'operator', '--storage', storage]);
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^sf_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /not shown again/);
    const listed = stepflow(['keys', 'list', '--storage', storage]);
    assert.match(listed.stdout, /^1\s+ci\s+operator\s+\S+\s+active$/m);
    assert.ok(!listed.stdout.includes(key.slice(3)), 'the secret must never be listed');
    const server = await startServer({ authEnabled: true }, storage);
    try {
      assert.equal(
        (await server.request('POST', '/api/executions', { command: 'true' }, { authorization: `Bearer ${key}` }))
          .status,
        201,
      );
      const listed = await stepflowAsync(['list', '--server', server.url], { STEPFLOW_API_KEY: key });
      assert.equal(listed.status, 0, listed.stderr);
      const refused = await stepflowAsync(['list', '--server', server.url]);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /\(unauthorized\)/);
      const revoked = await stepflowAsync(['keys', 'revoke', 'ci', '--storage', storage]);
      assert.match(revoked.stdout, /Revoked key 1 "ci"/);
      assert.equal(
        (await server.request('GET', '/api/executions', undefined, { authorization: `Bearer ${key}` })).status,
        401,
      );
    } finally {
      await server.close();
    }
    assert.match(stepflow(['keys', 'list', '--storage', storage]).stdout, /revoked/);
    const again = stepflow(['keys', 'revoke', 'ci', '--storage', storage]);
    assert.deepEqual([again.status, again.stderr.trim()], [1, 'stepflow: no active key "ci"']);
  });
});

describe('stepflow serve on a public address', () => {
  it('refuses 0.0.0.0 with auth off in one clear line', () => {
    const result = stepflow(['serve', '--host', '0.0.0.0', '--port', '0', '--ws-port', '0', '--storage', tempDir()]);
    assert.equal(result.status, 2);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /^stepflow: refusing to bind 0\.0\.0\.0 without authentication/);
  });

  it('starts with --allow-unauthenticated and warns', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX,
        MAIN,
        'serve',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--ws-port',
        '0',
        '--log-level',
        'silent',
        '--allow-unauthenticated',
        '--storage',
        tempDir(),
      ],
      { env: cleanEnv(), cwd: FIXTURES },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((started, failed) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('StepFlow listening') && started());
      child.on('close', (code) => failed(new Error(`serve exited ${code}: ${stderr}`)));
    });
    child.kill('SIGTERM');
    await new Promise((closed) => child.on('close', closed));
    assert.match(stderr, /^stepflow: warning: binding 0\.0\.0\.0 WITHOUT authentication/m);
  });
});

describe('rate limits and the queue bound', () => {
  let server: TestServer | undefined;
  after(() => server?.close());

  it('answers 429 with Retry-After past the requests-per-minute limit, per client address when auth is off', async () => {
    server = await startServer({ rateLimitRequestsPerMinute: 3 });
    for (let i = 0; i < 3; i++) assert.equal((await server.request('GET', '/api/executions')).status, 200);
    const limited = await server.request('GET', '/api/executions');
    assert.deepEqual([limited.status, limited.body.code], [429, 'rate_limited']);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await server.request('GET', '/api/health')).status, 200, 'health is never limited');
    await server.close();
    server = undefined;
  });

  it('limits creations per key, leaving reads and other keys alone', async () => {
    const admin = 'admin-key-for-tests-0123456789abcdef';
    server = await startServer({ authEnabled: true, apiKey: admin, rateLimitCreatesPerMinute: 2 });
    const headers = { authorization: `Bearer ${admin}` };
    for (let i = 0; i < 2; i++)
      assert.equal((await server.request('POST', '/api/executions', { command: 'true' }, headers)).status, 201);
    const limited = await server.request('POST', '/api/executions', { command: 'true' }, headers);
    assert.deepEqual([limited.status, limited.body.code], [429, 'rate_limited']);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await server.request('GET', '/api/executions', undefined, headers)).status, 200);
    await server.close();
    server = undefined;
  });

  it('answers 503 queue_full once the pending queue is at its bound', async () => {
    server = await startServer({ maxConcurrent: 1, maxQueued: 2, killGraceSeconds: 0.2 });
    const body = { command: ['sh', `${FIXTURES}/sleep-forever.sh`] };
    const ids = [await server.create(body), await server.create(body), await server.create(body)];
    const full = await server.request('POST', '/api/executions', body);
    assert.deepEqual([full.status, full.body.code], [503, 'queue_full']);
    await server.request('POST', `/api/executions/${ids[2]}/cancel`);
    assert.equal((await server.request('POST', '/api/executions', body)).status, 201, 'room again after a cancel');
  });
});
