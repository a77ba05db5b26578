// Tests scanMarkerLine: only chosen dialects are read, pauses hold for every dialect until their resume line, TAP reads stdout only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkerScanner } from './create-marker-scanner.js';
import { MARKER_DIALECTS } from './marker-dialect.js';
import { scanMarkerLine } from './scan-marker-line.js';

const kinds = (
  dialects: Parameters<typeof createMarkerScanner>[0],
  lines: string[],
  stream: 'stdout' | 'stderr' = 'stdout',
): string[] => {
  const scanner = createMarkerScanner(dialects, 'line_start');
  return lines.map((line) => scanMarkerLine(scanner, line, stream).kind);
};

describe('scanMarkerLine', () => {
  it('reads only the dialects the execution chose', () => {
    const lines = ['::group::x', '##[group]x', '--- x', 'ok 1 - x', 'STEP_START:x'];
    assert.deepEqual(kinds(['stepflow'], lines), ['text', 'text', 'text', 'text', 'step_start']);
    assert.deepEqual(kinds(MARKER_DIALECTS, lines), [
      'group_start',
      'group_start',
      'group_start',
      'test_point',
      'step_start',
    ]);
  });

  it('pauses every dialect after stop-commands or disableServiceMessages until the matching resume line', () => {
    assert.deepEqual(
      kinds(MARKER_DIALECTS, [
        '::stop-commands::t0k',
        'STEP_START:x',
        '::group::x',
        '::other::',
        '::t0k::',
        '::group::y',
      ]),
      ['text', 'text', 'text', 'text', 'text', 'group_start'],
    );
    assert.deepEqual(
      kinds(MARKER_DIALECTS, [
        '##teamcity[disableServiceMessages]',
        "##teamcity[blockOpened name='a']",
        '##teamcity[enableServiceMessages]',
        "##teamcity[blockOpened name='b']",
      ]),
      ['text', 'text', 'text', 'group_start'],
    );
  });

  it('reads TAP on stdout only, lines inside a YAML block as text, and its end as the failed point diagnostic', () => {
    assert.deepEqual(kinds(['tap'], ['ok 1 - x'], 'stderr'), ['text']);
    assert.deepEqual(kinds(['tap'], ['not ok 1 - x', '  ---', '  ok 2 - inside yaml', '  ...', 'ok 3 - y']), [
      'test_point',
      'text',
      'text',
      'annotation',
      'test_point',
    ]);
  });

  it('never reads a marker inside a line', () => {
    assert.deepEqual(kinds(MARKER_DIALECTS, ['echo ::group::x', 'x ##[group]y', 'say section_start:1:a', 'a --- b']), [
      'text',
      'text',
      'text',
      'text',
    ]);
  });
});
