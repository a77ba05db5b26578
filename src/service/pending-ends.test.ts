import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPendingEnds } from './pending-ends.js';

const quiet = { info() {}, warn() {}, error() {} };
const diskFull = (): Error => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

/** A write that fails with a full disk while `full.value` is true, counting its successful runs. */
function endWrite(full: { value: boolean }) {
  const write = async (): Promise<void> => {
    if (full.value) throw diskFull();
    write.stored++;
  };
  write.stored = 0;
  return write;
}

describe('createPendingEnds', () => {
  it('stores an end at once when it fits', async () => {
    const failures: unknown[] = [];
    const ends = createPendingEnds((error) => failures.push(error), quiet);
    const write = endWrite({ value: false });
    await ends.settle(1, write);
    assert.equal(write.stored, 1);
    assert.equal(ends.size, 0);
    assert.deepEqual(failures, []);
  });

  it('tries once more after reporting a storage failure, since the report frees the reserve', async () => {
    const full = { value: true };
    const ends = createPendingEnds(() => (full.value = false), quiet);
    const write = endWrite(full);
    await ends.settle(1, write);
    assert.equal(write.stored, 1);
    assert.equal(ends.size, 0);
  });

  it('keeps an end that still does not fit and stores it on retry once there is room', async () => {
    const full = { value: true };
    const failures: unknown[] = [];
    const ends = createPendingEnds((error) => failures.push(error), quiet);
    const write = endWrite(full);
    await ends.settle(7, write);
    assert.equal(ends.size, 1);
    await ends.retry();
    assert.equal(ends.size, 1, 'still full: kept');
    full.value = false;
    await ends.retry();
    assert.equal(write.stored, 1);
    assert.equal(ends.size, 0);
    assert.equal(failures.length, 3);
  });

  it('drops an end whose write fails for another reason than storage', async () => {
    const ends = createPendingEnds(() => {}, quiet);
    await ends.settle(1, async () => {
      throw new TypeError('a bug');
    });
    assert.equal(ends.size, 0);
  });
});
