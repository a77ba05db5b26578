// Tests parseGithubMarker: groups, annotations with every property and escape, masks, stop-commands, and what stays text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGithubMarker } from './parse-github-marker.js';

describe('parseGithubMarker', () => {
  it('reads groups and ends of groups, names case-insensitive', () => {
    assert.deepEqual(parseGithubMarker('::group::Build app'), {
      kind: 'group_start',
      name: 'Build app',
      key: null,
      collapsed: true,
      closing: 'explicit',
    });
    assert.deepEqual(parseGithubMarker('::ENDGROUP::'), { kind: 'group_end', key: null, status: null, message: null });
  });

  it('reads an annotation with every property, decoding data and property escapes', () => {
    assert.deepEqual(
      parseGithubMarker('::error file=a%2Cb%3Ac.ts,line=3,endLine=4,col=1,endColumn=9,title=T::x%0Ay 100%25'),
      {
        kind: 'annotation',
        level: 'error',
        message: 'x\ny 100%',
        file: 'a,b:c.ts',
        line: 3,
        col: 1,
        end_line: 4,
        end_col: 9,
        title: 'T',
      },
    );
  });

  it('keeps malformed and unknown commands as text', () => {
    for (const line of [
      '::frobnicate::x',
      '::error line=0::x',
      '::error line=abc::x',
      '::warning nokey::x',
      ':: group::x',
      'echo ::group::x',
      '::group:x',
    ]) {
      assert.deepEqual(parseGithubMarker(line), { kind: 'text' }, line);
    }
  });

  it('reads add-mask with the escaped form kept for its own line, and stop-commands with its token', () => {
    assert.deepEqual(parseGithubMarker('::add-mask::abc%25def'), {
      kind: 'mask',
      value: 'abc%def',
      printed: 'abc%25def',
    });
    assert.deepEqual(parseGithubMarker('::stop-commands::tok-1'), { kind: 'stop_commands', token: 'tok-1' });
  });
});
