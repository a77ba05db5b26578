import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createStartPacer } from './start-pacer.js';

describe('createStartPacer', () => {
  it('starts one job per event-loop turn, in the order pushed', async () => {
    const started: number[] = [];
    const pacer = createStartPacer((id) => started.push(id));
    pacer.push(1);
    pacer.push(2);
    pacer.push(3);
    assert.deepEqual(started, [], 'nothing starts synchronously');
    assert.equal(pacer.size, 3);
    await nextTurn();
    assert.deepEqual(started, [1]);
    await nextTurn();
    await nextTurn();
    assert.deepEqual(started, [1, 2, 3]);
    assert.equal(pacer.size, 0);
  });

  it('keeps order across thousands of jobs while compacting its buffer', async () => {
    const started: number[] = [];
    const pacer = createStartPacer((id) => started.push(id));
    for (let i = 0; i < 3000; i++) pacer.push(i);
    while (pacer.size > 0) await nextTurn();
    assert.deepEqual(
      started,
      Array.from({ length: 3000 }, (_, i) => i),
    );
  });
});
