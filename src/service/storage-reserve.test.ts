import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createStorageReserve, RESERVE_FILE } from './storage-reserve.js';

describe('createStorageReserve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-reserve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sets real bytes aside, frees them at once with the reason, and takes them back when there is room', async () => {
    let restored = (): void => {};
    const back = new Promise<void>((resolve) => (restored = resolve));
    const reserve = createStorageReserve({ dir, bytes: 128 * 1024, recheckMs: 10, onRestored: () => restored() });
    try {
      assert.equal(await reserve.ensure(), true);
      assert.equal(statSync(join(dir, RESERVE_FILE)).size, 128 * 1024);
      assert.equal(reserve.problem(), null);

      reserve.release('storage full: database or disk is full');
      reserve.release('storage full: a later failure');
      assert.equal(existsSync(join(dir, RESERVE_FILE)), false);
      assert.equal(reserve.problem(), 'storage full: database or disk is full', 'the first reason is kept');

      // The re-check timer is unref'd (it must not keep a server alive); this keeps the test alive until it fires.
      const alive = setInterval(() => {}, 1_000);
      await back.finally(() => clearInterval(alive));
      assert.equal(reserve.problem(), null);
      assert.equal(statSync(join(dir, RESERVE_FILE)).size, 128 * 1024);
    } finally {
      reserve.stop();
    }
  });
});
