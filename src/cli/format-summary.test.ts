// Unit tests for the closing summary of `run`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { wireArtifact, wireExecution, wireStep } from './cli-test-fixtures.js';
import { formatStepCounts, formatSummary } from './format-summary.js';

const plain = pc.createColors(false);

describe('formatSummary', () => {
  it('says status, duration, exit code, step counts and artifacts, with absolute download URLs', () => {
    const lines = formatSummary(
      {
        execution: wireExecution(),
        steps: [wireStep(), wireStep({ id: '2', index: 1, name: 'Test' })],
        artifacts: [wireArtifact()],
        baseUrl: 'http://h:1',
      },
      plain,
    );
    assert.deepEqual(lines, [
      'Execution 7 completed in 2.50s, exit code 0',
      'Steps: 2 passed, 0 failed (2 total)',
      'Artifacts: 1',
      '  report.html  2.0 KiB  http://h:1/api/artifacts/3/download',
    ]);
  });

  it('adds the error and leaves out a missing exit code', () => {
    const execution = wireExecution({
      status: 'failed',
      exit_code: null,
      error_message: 'critical step "Deploy" failed',
    });
    const lines = formatSummary({ execution, steps: [wireStep({ status: 'failed' })], artifacts: [] }, plain);
    assert.deepEqual(lines, [
      'Execution 7 failed in 2.50s',
      'Steps: 0 passed, 1 failed (1 total)',
      'Error: critical step "Deploy" failed',
      'Artifacts: none',
    ]);
  });

  it('says a completed run with a failed non-critical step completed with 1 failed step, and where it ran', () => {
    const execution = wireExecution({ failed_steps: 1, completed_steps: 1, host: 'build-01' });
    const lines = formatSummary(
      { execution, steps: [wireStep({ status: 'failed' }), wireStep({ id: '2', index: 1 })], artifacts: [] },
      plain,
    );
    assert.deepEqual(lines.slice(0, 3), [
      'Execution 7 completed with 1 failed step in 2.50s, exit code 0',
      'Steps: 1 passed, 1 failed (2 total)',
      'Host: build-01',
    ]);
  });

  it('has no escape codes when colours are off', () => {
    const lines = formatSummary({ execution: wireExecution({ status: 'cancelled' }), steps: [], artifacts: [] }, plain);
    assert.ok(lines.every((line) => !line.includes('\u001b')));
  });

  it('colours the status when colours are on', () => {
    const [first] = formatSummary(
      { execution: wireExecution({ status: 'failed' }), steps: [], artifacts: [] },
      pc.createColors(true),
    );
    assert.ok(first?.includes('\u001b[31mfailed\u001b[39m'));
  });
});

describe('formatStepCounts', () => {
  it('mentions cancelled, skipped and unfinished steps only when there are some', () => {
    const steps = [
      wireStep(),
      wireStep({ status: 'skipped' }),
      wireStep({ status: 'running' }),
      wireStep({ status: 'failed' }),
      wireStep({ status: 'cancelled' }),
    ];
    assert.equal(formatStepCounts(steps), '1 passed, 1 failed, 1 cancelled, 1 skipped, 1 not finished (5 total)');
    assert.equal(formatStepCounts([]), '0 passed, 0 failed (0 total)');
  });
});
