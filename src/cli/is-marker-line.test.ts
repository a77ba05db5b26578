// Unit tests for which script lines `run` leaves out: markers StepFlow acted on, never text, malformed markers or its own lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wireLine } from './cli-test-fixtures.js';
import { isMarkerLine } from './is-marker-line.js';

describe('isMarkerLine', () => {
  it('is true for each marker at the start of a stdout or stderr line', () => {
    for (const content of [
      'STEP_START:Build',
      '\u001b[1mSTEP_COMPLETE:Build',
      'STEP_ERROR:boom',
      'ARTIFACT:a.txt',
      'META:k:v',
      'MASK:***',
      '::add-mask::***',
    ]) {
      assert.equal(isMarkerLine(wireLine(1, content)), true, content);
      assert.equal(isMarkerLine(wireLine(1, content, { stream: 'stderr' })), true, content);
    }
  });

  it("is false for text, a marker later in the line, a malformed marker and StepFlow's own lines", () => {
    for (const content of ['plain', 'see STEP_START:Build', 'STEP_START:', 'ARTIFACT:', 'META:no-colon', 'Mask: on']) {
      assert.equal(isMarkerLine(wireLine(1, content)), false, content);
    }
    assert.equal(isMarkerLine(wireLine(1, 'STEP_START:Build', { stream: 'system' })), false);
  });
});
