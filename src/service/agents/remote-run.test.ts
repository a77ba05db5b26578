// Tests the server's side of one agent's execution: when its waiting heartbeat is woken.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionRecord } from '../../core/execution.js';
import { RemoteRun } from './remote-run.js';

const record = {
  id: 7,
  name: 'build',
  status: 'pending',
  exit_code: null,
  error_message: null,
  started_at: null,
  completed_at: null,
  total_steps: 0,
  completed_steps: 0,
  failed_steps: 0,
  current_step_index: null,
  metadata: {},
} as unknown as ExecutionRecord;

describe('RemoteRun', () => {
  it('wakes the agent once its assignment is ready, so a heartbeat that came in before it does not wait it out', () => {
    let woken = 0;
    const run = new RemoteRun(record, 'box', 0, { now: () => 0 }, () => woken++);
    assert.equal(run.assigned === null, true);
    run.bind(
      {
        execution_id: 7,
        command: 'true',
        working_directory: '',
        environment: {},
        timeout_seconds: null,
        metadata: {},
        engine: { markerMode: 'line_start' },
      },
      () => {},
    );
    assert.equal(run.assigned?.execution_id, '7');
    assert.equal(woken, 1);
  });
});
