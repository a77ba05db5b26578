// Unit tests for the `stepflow list` table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pc from 'picocolors';
import { wireExecution } from './cli-test-fixtures.js';
import { formatExecutionTable } from './format-execution-table.js';

describe('formatExecutionTable', () => {
  it('lines up id, status, name, started, duration and steps', () => {
    const lines = formatExecutionTable(
      [
        wireExecution({
          id: '12',
          status: 'running',
          name: 'deploy',
          started_at: null,
          duration_seconds: null,
          completed_steps: 1,
          total_steps: 3,
        }),
        wireExecution({ id: '9', name: 'nightly\nbuild', started_at: null }),
      ],
      pc.createColors(false),
    );
    assert.deepEqual(lines, [
      'ID  STATUS     NAME           STARTED  DURATION  STEPS',
      '12  running    deploy         -        -         1/3',
      '9   completed  nightly build  -        2.50s     2/2',
    ]);
  });

  it('says "completed with N failed steps" in the status column', () => {
    const [, row] = formatExecutionTable(
      [wireExecution({ id: '4', failed_steps: 2, completed_steps: 1, total_steps: 3 })],
      pc.createColors(false),
    );
    assert.match(row ?? '', /^4 +completed with 2 failed steps {2}nightly/);
  });

  it('shortens long names', () => {
    const [, row] = formatExecutionTable([wireExecution({ name: 'x'.repeat(100) })], pc.createColors(false));
    assert.ok(row?.includes(`${'x'.repeat(39)}…`));
    assert.ok(!row?.includes('x'.repeat(40)));
  });
});
