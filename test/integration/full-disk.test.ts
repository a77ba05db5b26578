// The storage directory on a full filesystem (a 4 MiB tmpfs): the server answers, reports it, fails runs clearly, corrupts nothing, recovers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { HealthReport } from '../../src/service/health-service.js';
import { startServer, type TestServer } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'stepflow-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]).status === 0;
const skip = mounted ? false : 'needs `mount -t tmpfs` (root); run the suite as root, as CI does';

/** Fills the filesystem until only about `leaveBytes` are free. */
function fillUntil(file: string, leaveBytes: number): void {
  const fd = openSync(file, 'a');
  const chunk = Buffer.alloc(16 * 1024, 120);
  try {
    for (;;) {
      const fs = statfsSync(dir);
      if (fs.bavail * fs.bsize <= leaveBytes) return;
      writeSync(fd, chunk);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe('a full storage filesystem', { skip }, () => {
  let server: TestServer;
  const storage = join(dir, 'data');
  const ballast = join(dir, 'ballast');

  before(async () => {
    server = await startServer({ logFlushMs: 10 }, storage);
  });
  after(async () => {
    await server?.close();
    if (mounted) spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the affected run with a storage error, keeps answering and recovers once space is freed', async () => {
    const before = await server.waitForEnd(await server.create({ command: 'echo stored before' }));
    assert.equal(before.execution.status, 'completed');

    fillUntil(ballast, 256 * 1024);
    // Creating may itself need room; it then answers 503, never 500.
    const created = await server.request<{ execution_id: number }>('POST', '/api/executions', { command: ['./print-lines.sh', '400000'] });
    assert.ok(created.status === 201 || created.status === 503, `create answered ${created.status}`);
    if (created.status === 201) {
      const { execution } = await server.waitForEnd(created.body.data!.execution_id, 60_000);
      assert.equal(execution.status, 'failed');
      assert.match(execution.error_message ?? '', /^storage error: .*(full|space)/i);
      const kept = await server.allLines(execution.id);
      kept.slice(1).forEach((line, index) => assert.equal(line.content, `line ${index + 1}`, 'what was stored is a prefix, with no gap'));
    } else {
      assert.equal(created.body.code, 'storage_unavailable');
    }

    const health = await server.request<HealthReport>('GET', '/api/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.data?.storage.status, 'error');
    assert.match(String(health.body.data?.storage.message), /storage|free|writable/);
    const full = await server.request('POST', '/api/executions', { command: 'echo while full' });
    assert.ok([201, 503].includes(full.status), `create while full answered ${full.status}`);
    assert.deepEqual((await server.allLines(before.execution.id)).map((line) => line.content), ['stored before']);

    rmSync(ballast);
    let after: Awaited<ReturnType<TestServer['waitForEnd']>> | null = null;
    for (let tries = 0; after === null; tries++) {
      const response = await server.request<{ execution_id: number }>('POST', '/api/executions', { command: 'echo stored after' });
      if (response.status === 201) after = await server.waitForEnd(response.body.data!.execution_id);
      else assert.ok(tries < 50 && response.status === 503, `create after freeing space answered ${response.status}`);
    }
    assert.equal(after.execution.status, 'completed');
    assert.deepEqual((await server.allLines(after.execution.id)).map((line) => line.content), ['stored after']);

    await server.close();
    const db = new Database(join(storage, 'stepflow.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });
});
