// Unit tests for an agent run's read-ahead: paused past the limit while the server answers, on half acknowledged, never while it does not.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { READ_AHEAD_BYTES, RunFlow } from './run-flow.js';

describe('RunFlow', () => {
  it('pauses a run past its read-ahead and resumes it once half is acknowledged', () => {
    const told: boolean[] = [];
    const flow = new RunFlow(
      (paused) => told.push(paused),
      () => true,
    );
    flow.filled(READ_AHEAD_BYTES - 1);
    assert.deepEqual(told, []);
    flow.cut(1, READ_AHEAD_BYTES / 2);
    flow.filled(READ_AHEAD_BYTES / 2 + 1);
    assert.deepEqual(told, [true], 'the batch filling counts with the ones not acknowledged');
    flow.cut(2, READ_AHEAD_BYTES / 2 + 1);
    flow.acknowledged(1);
    assert.deepEqual(told, [true], 'still above half');
    flow.filled(0);
    flow.acknowledged(2);
    assert.deepEqual(told, [true, false]);
  });

  it('lifts the read-ahead while the server does not answer, and keeps a full spool paused whatever the read-ahead', () => {
    let answering = true;
    const told: boolean[] = [];
    const flow = new RunFlow(
      (paused) => told.push(paused),
      () => answering,
    );
    flow.cut(1, READ_AHEAD_BYTES * 2);
    answering = false;
    flow.reconsider();
    assert.deepEqual(told, [true, false], 'the spool takes the output while the server is away');
    flow.setSpoolFull(true);
    answering = true;
    flow.reconsider();
    flow.acknowledged(1);
    assert.deepEqual(told, [true, false, true], 'acknowledged, but the spool is still full');
    flow.setSpoolFull(false);
    assert.deepEqual(told, [true, false, true, false]);
  });
});
