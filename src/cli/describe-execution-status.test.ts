// Unit tests for how the CLI words an execution's status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { wireExecution } from './cli-test-fixtures.js';
import { colorExecutionStatus, describeExecutionStatus } from './describe-execution-status.js';

describe('describeExecutionStatus', () => {
  it('says "completed with N failed steps" for a completed run whose non-critical steps failed', () => {
    assert.equal(describeExecutionStatus(wireExecution({ failed_steps: 1 })), 'completed with 1 failed step');
    assert.equal(describeExecutionStatus(wireExecution({ failed_steps: 3 })), 'completed with 3 failed steps');
  });

  it('says the bare status otherwise', () => {
    assert.equal(describeExecutionStatus(wireExecution()), 'completed');
    assert.equal(describeExecutionStatus(wireExecution({ status: 'failed', failed_steps: 2 })), 'failed');
  });
});

describe('colorExecutionStatus', () => {
  it('draws a completed run with failed steps as a warning, not as plain green', () => {
    const colors = pc.createColors(true);
    assert.equal(
      colorExecutionStatus(wireExecution({ failed_steps: 1 }), colors),
      '\u001b[33mcompleted with 1 failed step\u001b[39m',
    );
    assert.equal(colorExecutionStatus(wireExecution(), colors), '\u001b[32mcompleted\u001b[39m');
  });
});
