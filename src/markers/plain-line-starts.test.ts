// Tests the table of first characters that open no marker: it may only ever skip lines no chosen dialect reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkerScanner } from './create-marker-scanner.js';
import { MARKER_DIALECTS } from './marker-dialect.js';
import { buildPlainLineStarts } from './plain-line-starts.js';
import { scanMarkerLine } from './scan-marker-line.js';

describe('buildPlainLineStarts', () => {
  it('skips no line that a chosen dialect reads as a marker, for every dialect alone and all together', () => {
    const markers = [
      'STEP_START:Build',
      '::group::Compile',
      '##[group]Restore',
      "##teamcity[blockOpened name='x']",
      '--- Bundle',
      'section_start:1:deps\r\x1b[0KDeps',
      'ok 1 - parses',
      'PROGRESS:40',
    ];
    for (const chosen of [...MARKER_DIALECTS.map((dialect) => [dialect]), [...MARKER_DIALECTS]]) {
      const table = buildPlainLineStarts(chosen, 'line_start');
      for (const line of markers) {
        const scanner = createMarkerScanner(chosen, 'line_start');
        if (scanMarkerLine(scanner, line, 'stdout').kind !== 'text')
          assert.notEqual(table[line.charCodeAt(0)], 1, `${chosen.join(',')}: ${line}`);
      }
    }
  });

  it('answers text at once for a line starting with a character no dialect uses', () => {
    const table = buildPlainLineStarts([...MARKER_DIALECTS], 'line_start');
    assert.equal(table['W'.charCodeAt(0)], 1);
    assert.equal(table['S'.charCodeAt(0)], 0);
  });

  it('has no fast path when StepFlow markers may appear anywhere in a line', () => {
    assert.ok(buildPlainLineStarts(['stepflow', 'github'], 'anywhere').every((flag) => flag === 0));
  });
});
