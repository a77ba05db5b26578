import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newExecution, newStep } from '../store/store-contract-fixtures.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { closeExecution } from './close-execution.js';

describe('closeExecution', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-close-'));
    store = await openSqliteStore({ storagePath: dir, cacheSizeKib: 1024, walAutocheckpoint: 1000 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails the steps left open, keeps finished ones, and stores the end', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    await store.saveStep(id, newStep(0));
    await store.saveStep(id, newStep(1, { status: 'running', completed_at: null }));
    const patch = { status: 'failed' as const, error_message: 'storage full: disk', completed_at: 2_000 };
    await closeExecution(store, id, patch, 'storage full: disk', 2_000);
    await closeExecution(store, id, patch, 'storage full: disk', 2_000);

    const steps = await store.listSteps(id);
    assert.deepEqual(
      steps.map((step) => [step.status, step.error_message]),
      [
        ['completed', null],
        ['failed', 'storage full: disk'],
      ],
    );
    const record = await store.getExecution(id);
    assert.equal(record?.status, 'failed');
    assert.equal(record?.error_message, 'storage full: disk');
    assert.equal(record?.failed_steps, 1, 'the step closed failed is counted once, however often the end is retried');
  });

  it('leaves steps alone when given no step error', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    await store.saveStep(id, newStep(0, { status: 'running', completed_at: null }));
    await closeExecution(store, id, { status: 'completed', completed_at: 2_000 }, null, 2_000);
    assert.equal((await store.listSteps(id))[0]?.status, 'running');
    assert.equal((await store.getExecution(id))?.status, 'completed');
  });
});
