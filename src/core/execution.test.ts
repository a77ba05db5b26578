// Tests for the one list of terminal statuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXECUTION_STATUSES, TERMINAL_STATUSES, isTerminalStatus } from './execution.js';

describe('isTerminalStatus', () => {
  it('is true exactly for the statuses an execution never leaves', () => {
    assert.deepEqual(EXECUTION_STATUSES.filter(isTerminalStatus), ['completed', 'failed', 'cancelled']);
  });

  it('agrees with TERMINAL_STATUSES and rejects words that are not statuses', () => {
    for (const status of TERMINAL_STATUSES) assert.equal(isTerminalStatus(status), true);
    assert.equal(isTerminalStatus('skipped'), false);
    assert.equal(isTerminalStatus(''), false);
  });
});
