// Tests createEngineState: the state of an execution that has not started.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngineState } from './create-engine-state.js';

describe('createEngineState', () => {
  it('starts pending with no steps and no lines', () => {
    const state = createEngineState({ markerMode: 'line_start' });
    assert.equal(state.execution.status, 'pending');
    assert.equal(state.lastLine, 0);
    assert.deepEqual(state.steps, []);
    assert.equal(state.openStep, null);
    assert.equal(state.stopping, null);
    assert.equal(state.execution.total_steps, 0);
    assert.deepEqual(state.execution.metadata, {});
  });

  it('keeps a copy of the execution metadata and its declared total_steps', () => {
    const metadata = { team: { name: 'ops' }, total_steps: 4 };
    const state = createEngineState({ markerMode: 'anywhere' }, metadata);
    metadata.team.name = 'changed';
    assert.deepEqual(state.execution.metadata, { team: { name: 'ops' }, total_steps: 4 });
    assert.equal(state.execution.total_steps, 4);
    assert.equal(state.options.markerMode, 'anywhere');
  });
});
