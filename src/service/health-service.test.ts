// Unit tests of the health checks: free-space threshold and the database part, against a real temp directory.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { systemClock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import { createHealthService } from './health-service.js';

const storage = mkdtempSync(join(tmpdir(), 'stepflow-health-unit-'));
const answeringStore = { ping: async () => {} } as unknown as Store;
const options = {
  store: answeringStore,
  storagePath: storage,
  version: '0.0.0',
  clock: systemClock,
  startedAt: systemClock.now(),
  websocket: () => ({ status: 'disabled' as const }),
};

describe('createHealthService', () => {
  after(() => rmSync(storage, { recursive: true, force: true }));

  it('reports free, total and minimum bytes of a writable storage directory', async () => {
    const report = await createHealthService({ ...options, minFreeBytes: 1 }).check();
    assert.equal(report.status, 'healthy');
    assert.equal(report.storage.status, 'ok');
    assert.equal(report.storage.min_free_bytes, 1);
    assert.ok((report.storage.free_bytes as number) > 0);
  });

  it('fails the storage part when free space is below the threshold, naming both figures', async () => {
    const report = await createHealthService({ ...options, minFreeBytes: Number.MAX_SAFE_INTEGER }).check();
    assert.equal(report.status, 'unhealthy');
    assert.equal(report.storage.status, 'error');
    assert.match(report.storage.message ?? '', /^storage has \d+ bytes free, below the \d+ byte minimum$/);
    assert.equal(report.database.status, 'ok');
  });

  it('counts uptime on the injected clock', async () => {
    const report = await createHealthService({
      ...options,
      minFreeBytes: 1,
      clock: { now: () => 90_000 },
      startedAt: 30_000,
    }).check();
    assert.equal(report.uptime_seconds, 60);
  });

  it('fails the database part with the driver message when the store does not answer', async () => {
    const brokenStore = {
      ping: async () => {
        throw new Error('disk I/O error');
      },
    } as unknown as Store;
    const report = await createHealthService({ ...options, store: brokenStore }).check();
    assert.equal(report.status, 'unhealthy');
    assert.deepEqual(report.database, { status: 'error', message: 'database check failed: disk I/O error' });
  });
});

describe('createHealthService storage probe cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-health-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses a passed storage check within the TTL but notices at once when the directory is replaced', async () => {
    let clock = 0;
    const health = createHealthService({ ...options, storagePath: dir, minFreeBytes: 1, clock: { now: () => clock } });
    const first = await health.check();
    clock = 500;
    assert.equal((await health.check()).storage, first.storage, 'the same part object: no second probe');
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    assert.equal((await health.check()).storage.status, 'error');
    rmSync(dir);
    mkdirSync(dir);
    clock = 600;
    assert.equal((await health.check()).storage.status, 'ok', 'a failed check is not reused');
    clock = 5000;
    assert.notEqual((await health.check()).storage, first.storage, 'after the TTL the probe runs again');
  });
});
