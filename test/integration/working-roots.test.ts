// STEPFLOW_WORKING_ROOTS: working directories must resolve inside the roots, at creation, re-run, start-up and again at spawn time.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import { startServer, testConfig, type TestServer } from './harness.js';

describe('STEPFLOW_WORKING_ROOTS', () => {
  let server: TestServer;
  let base = '';
  let root = '';
  let outside = '';

  before(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'stepflow-roots-')));
    root = join(base, 'root');
    outside = join(base, 'outside');
    for (const dir of [root, join(root, 'ws'), outside]) mkdirSync(dir);
    symlinkSync(outside, join(root, 'escape'));
    server = await startServer({ workingRoots: [root], defaultWorkingDirectory: root, maxConcurrent: 1 });
  });
  after(async () => {
    await server?.close();
    rmSync(base, { recursive: true, force: true });
  });

  async function refusal(body: Record<string, unknown>): Promise<{ status: number; field: unknown; error: unknown }> {
    const response = await server.request('POST', '/api/executions', body);
    const envelope = response.body as unknown as { field?: unknown; error?: unknown };
    return { status: response.status, field: envelope.field, error: envelope.error };
  }

  it('runs in a directory inside a root, and in the default one', async () => {
    for (const working_directory of [join(root, 'ws'), undefined]) {
      const id = await server.create({ command: 'pwd', working_directory });
      assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
    }
  });

  it('answers 400 naming working_directory for a directory outside the roots', async () => {
    const answer = await refusal({ command: 'pwd', working_directory: outside });
    assert.equal(answer.status, 400);
    assert.equal(answer.field, 'working_directory');
    assert.match(String(answer.error), /outside the allowed working roots/);
  });

  it('refuses a symlink inside a root that points outside, and a .. escape', async () => {
    for (const working_directory of [join(root, 'escape'), join(root, 'ws', '..', '..', 'outside'), 'escape']) {
      const answer = await refusal({ command: 'pwd', working_directory });
      assert.equal(answer.status, 400, working_directory);
      assert.equal(answer.field, 'working_directory');
    }
  });

  it('refuses a re-run whose directory has since been swapped for a symlink leading out', async () => {
    const dir = join(root, 'rerun');
    mkdirSync(dir);
    const id = await server.create({ command: 'pwd', working_directory: dir });
    await server.waitForEnd(id);
    rmSync(dir, { recursive: true });
    symlinkSync(outside, dir);
    const response = await server.request('POST', `/api/executions/${id}/rerun`);
    assert.equal(response.status, 400);
    assert.equal((response.body as unknown as { field?: string }).field, 'working_directory');
  });

  it('checks again at spawn time: a directory swapped for a symlink while queued fails before the script runs (regression: TOCTOU)', async () => {
    const blocker = await server.create({ command: 'echo blocking; sleep 300' });
    for (let tries = 0; (await server.allLines(blocker)).length === 0; tries++) {
      assert.ok(tries < 600, 'the blocking execution never printed');
      await sleep(25);
    }
    const dir = join(root, 'swapped');
    mkdirSync(dir);
    const queued = await server.create({ command: 'echo ran; pwd', working_directory: dir });
    renameSync(dir, join(base, 'swapped-away'));
    symlinkSync(outside, dir);
    await server.request('POST', `/api/executions/${blocker}/cancel`);
    const { execution } = await server.waitForEnd(queued);
    assert.equal(execution.status, 'failed');
    assert.match(
      execution.error_message ?? '',
      new RegExp(`working directory ${dir} resolves to ${outside}, outside the allowed working roots`),
    );
    assert.deepEqual(
      (await server.allLines(queued)).filter((line) => line.stream === 'stdout'),
      [],
    );
  });

  it('refuses to start when the default working directory is outside the roots', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-roots-storage-'));
    try {
      await assert.rejects(
        startApp(testConfig(storage, { workingRoots: [root], defaultWorkingDirectory: outside })),
        /default working directory .* is outside STEPFLOW_WORKING_ROOTS/,
      );
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
