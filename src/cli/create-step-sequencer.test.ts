// Unit tests for ordering step changes against the log lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WireStep } from '../core/wire-types.js';
import { wireStep } from './cli-test-fixtures.js';
import { createStepSequencer } from './create-step-sequencer.js';

function record(position = 0) {
  const released: string[] = [];
  const sequencer = createStepSequencer((step: WireStep) => released.push(`${step.name}:${step.status}`), position);
  return { released, sequencer };
}

describe('createStepSequencer', () => {
  it('holds a finished step until its last line is out', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'running', first_line: 1, last_line: null }));
    assert.deepEqual(released, ['Build:running']);
    sequencer.step(wireStep({ status: 'completed', first_line: 1, last_line: 3 }));
    sequencer.advance(2);
    assert.deepEqual(released, ['Build:running']);
    sequencer.advance(3);
    assert.deepEqual(released, ['Build:running', 'Build:completed']);
  });

  it('holds a started step until the line before its marker is out', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'running', first_line: 5, last_line: null }));
    sequencer.advance(3);
    assert.deepEqual(released, []);
    sequencer.advance(4);
    assert.deepEqual(released, ['Build:running']);
  });

  it('releases a step first seen finished as running before its lines, then finished after them', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'failed', first_line: 2, last_line: 4 }));
    sequencer.advance(1);
    assert.deepEqual(released, ['Build:running']);
    sequencer.advance(4);
    assert.deepEqual(released, ['Build:running', 'Build:failed']);
  });

  it('holds a cancelled step, like any finished one, until its last line is out', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'running', first_line: 1, last_line: null }));
    sequencer.step(wireStep({ status: 'cancelled', first_line: 1, last_line: 3 }));
    sequencer.advance(2);
    assert.deepEqual(released, ['Build:running']);
    sequencer.advance(3);
    assert.deepEqual(released, ['Build:running', 'Build:cancelled']);
  });

  it('keeps changes first-in first-out, so a later step never overtakes an earlier one', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'completed', first_line: 1, last_line: 3 }));
    sequencer.step(wireStep({ id: '2', name: 'Test', status: 'running', first_line: 4, last_line: null }));
    sequencer.advance(2);
    assert.deepEqual(released, ['Build:running']);
    sequencer.advance(3);
    assert.deepEqual(released, ['Build:running', 'Build:completed', 'Test:running']);
  });

  it('releases skipped steps (no lines) at once, without a start', () => {
    const { released, sequencer } = record(10);
    sequencer.step(wireStep({ status: 'skipped', first_line: null, last_line: null }));
    assert.deepEqual(released, ['Build:skipped']);
  });

  it('releases everything on flush', () => {
    const { released, sequencer } = record();
    sequencer.step(wireStep({ status: 'completed', first_line: 5, last_line: 9 }));
    sequencer.flush();
    assert.deepEqual(released, ['Build:running', 'Build:completed']);
  });
});
