// Unit tests for the line under the `list` table: what part is shown and the --offset for the next page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wireExecution } from './cli-test-fixtures.js';
import { describePage } from './list-command.js';

const executions = (count: number) => Array.from({ length: count }, (_, i) => wireExecution({ id: String(i + 1) }));

describe('describePage', () => {
  it('says nothing when everything is shown', () => {
    assert.equal(describePage({ executions: executions(3), total_count: 3 }, 0), null);
  });

  it('names the range shown and the offset of the next page', () => {
    assert.equal(
      describePage({ executions: executions(20), total_count: 95 }, 0),
      '1-20 of 95 shown (--offset 20 for more)',
    );
    assert.equal(
      describePage({ executions: executions(20), total_count: 95 }, 20),
      '21-40 of 95 shown (--offset 40 for more)',
    );
    assert.equal(describePage({ executions: executions(15), total_count: 95 }, 80), '81-95 of 95 shown');
  });

  it('tells an empty list from an offset past the end', () => {
    assert.equal(describePage({ executions: [], total_count: 0 }, 0), 'no executions');
    assert.equal(
      describePage({ executions: [], total_count: 95 }, 100),
      'no executions after the first 100 (95 in all)',
    );
  });
});
