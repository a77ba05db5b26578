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

  it('starts nothing while canStart says no, and resumes in FIFO order', () => {
    const started: number[] = [];
    let open = false;
    const queue = createExecutionQueue(
      2,
      (id) => started.push(id),
      () => open,
    );
    for (const id of [1, 2, 3]) queue.push(id);
    assert.deepEqual(started, []);
    assert.equal(queue.waiting, 3);
    open = true;
    queue.resume();
    assert.deepEqual(started, [1, 2]);
  });

  it('puts a requeued execution back first in line and frees its slot', () => {
    const started: number[] = [];
    let open = true;
    const queue = createExecutionQueue(
      1,
      (id) => started.push(id),
      () => open,
    );
    for (const id of [1, 2]) queue.push(id);
    open = false;
    queue.requeue(1);
    assert.equal(queue.running, 0);
    assert.equal(queue.waiting, 2);
    open = true;
    queue.resume();
    assert.deepEqual(started, [1, 1]);
    queue.release();
    assert.deepEqual(started, [1, 1, 2]);
  });
});
