// Tests resolveTotalSteps: declared totals versus steps seen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTotalSteps } from './resolve-total-steps.js';

describe('resolveTotalSteps', () => {
  it('counts the steps seen when nothing is declared', () => {
    assert.equal(resolveTotalSteps({}, 3), 3);
  });

  it('uses a declared whole number at least as large as the steps seen', () => {
    assert.equal(resolveTotalSteps({ total_steps: 5 }, 3), 5);
    assert.equal(resolveTotalSteps({ total_steps: 3 }, 3), 3);
  });

  it('ignores a declared total that is too small, fractional or not a number', () => {
    assert.equal(resolveTotalSteps({ total_steps: 2 }, 3), 3);
    assert.equal(resolveTotalSteps({ total_steps: 4.5 }, 3), 3);
    assert.equal(resolveTotalSteps({ total_steps: '9' }, 3), 3);
  });
});
