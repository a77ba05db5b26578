import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createExecutionQueue } from './execution-queue.js';

describe('createExecutionQueue', () => {
  it('starts at most `limit` executions and the rest in FIFO order as slots free', () => {
    const started: number[] = [];
    const queue = createExecutionQueue(2, (id) => started.push(id));
    for (const id of [1, 2, 3, 4]) queue.push(id);
    assert.deepEqual(started, [1, 2]);
    assert.equal(queue.running, 2);
    assert.equal(queue.waiting, 2);
    queue.release();
    assert.deepEqual(started, [1, 2, 3]);
    queue.release();
    queue.release();
    assert.deepEqual(started, [1, 2, 3, 4]);
    assert.equal(queue.running, 1);
  });

  it('removes a waiting execution so it never starts', () => {
    const started: number[] = [];
    const queue = createExecutionQueue(1, (id) => started.push(id));
    queue.push(1);
    queue.push(2);
    queue.push(3);
    assert.equal(queue.remove(2), true);
    assert.equal(queue.remove(1), false, 'a running execution is not waiting');
    queue.release();
    assert.deepEqual(started, [1, 3]);
  });
});
