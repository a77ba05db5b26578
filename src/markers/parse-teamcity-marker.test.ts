// Tests parseTeamcityMarker: single-value and attribute forms, `|` escapes, and broken messages as text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTeamcityMarker } from './parse-teamcity-marker.js';

describe('parseTeamcityMarker', () => {
  it('reads blocks and progress with escapes undone', () => {
    assert.deepEqual(parseTeamcityMarker("##teamcity[blockOpened name='a |'b|' |[c|]' description='d']"), {
      kind: 'group_start',
      name: "a 'b' [c]",
      key: "a 'b' [c]",
      collapsed: true,
      closing: 'explicit',
    });
    assert.deepEqual(parseTeamcityMarker("##teamcity[progressMessage 'line|nnext |0x263A']"), {
      kind: 'progress',
      percent: null,
      message: 'line\nnext ☺',
    });
  });

  it('keeps a message that breaks the grammar as text', () => {
    for (const line of [
      "##teamcity[blockOpened name='open",
      '##teamcity[blockOpened name=x]',
      "##teamcity[1bad 'x']",
      "##teamcity[message text='x' status='NORMAL']",
    ]) {
      assert.deepEqual(parseTeamcityMarker(line), { kind: 'text' }, line);
    }
  });
});
