// Tests the first-character dispatch table: it may only ever skip lines no chosen dialect reads as a marker.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkerScanner } from './create-marker-scanner.js';
import { buildFirstCharacterRoutes } from './first-character-routes.js';
import { MARKER_DIALECTS } from './marker-dialect.js';
import { scanMarkerLine } from './scan-marker-line.js';

const MARKERS = [
  'STEP_START:Build',
  'step_complete:Build',
  '\x1b[1;32mSTEP_START:Coloured\x1b[0m',
  '\u00a0STEP_START:After a no-break space',
  '\tMETA:k:v',
  '::group::Compile',
  '::add-mask::secret-value',
  '##[group]Restore',
  "##teamcity[blockOpened name='x']",
  '--- Bundle',
  '^^^ +++',
  'section_start:1:deps\r\x1b[0KDeps',
  '\x1b[0Ksection_start:1:deps\r\x1b[0KDeps',
  'ok 1 - parses',
  '    not ok 2 - nested',
  '# Subtest: inner',
  'Bail out! no database',
  'PROGRESS:40',
  'SUMMARY:report.md',
  'ARTIFACT:dist/app.js',
];

describe('buildFirstCharacterRoutes', () => {
  it('routes every line a chosen dialect reads to a reader, for every dialect alone and all together', () => {
    for (const chosen of [...MARKER_DIALECTS.map((dialect) => [dialect]), [...MARKER_DIALECTS]]) {
      const { table, wide } = buildFirstCharacterRoutes(chosen, 'line_start');
      for (const line of MARKERS) {
        const scanner = createMarkerScanner(chosen, 'line_start');
        if (scanMarkerLine(scanner, line, 'stdout').kind === 'text') continue;
        const first = line.charCodeAt(0);
        assert.notEqual(first < 128 ? table[first] : wide, 0, `${chosen.join(',')}: ${JSON.stringify(line)}`);
      }
    }
  });

  it('sends a line starting with a character no dialect uses nowhere, and marker starts to their readers', () => {
    const { table } = buildFirstCharacterRoutes([...MARKER_DIALECTS], 'line_start');
    assert.equal(table['W'.charCodeAt(0)], 0);
    assert.equal(table['('.charCodeAt(0)], 0);
    assert.notEqual(table['S'.charCodeAt(0)], 0);
    assert.notEqual(table['#'.charCodeAt(0)], 0);
  });

  it('routes nothing for StepFlow in anywhere mode, whose parser reads every line first', () => {
    const { table, wide } = buildFirstCharacterRoutes(['stepflow'], 'anywhere');
    assert.ok(table.every((bits) => bits === 0));
    assert.equal(wide, 0);
    const scanner = createMarkerScanner(['stepflow'], 'anywhere');
    assert.equal(scanMarkerLine(scanner, 'building... STEP_START:Late', 'stdout').kind, 'step_start');
  });
});

describe('scanMarkerLine plain lines', () => {
  it('reads as text the plain lines that share a first character with some marker', () => {
    const scanner = createMarkerScanner([...MARKER_DIALECTS], 'line_start');
    for (const line of [
      'src/app.ts:3: error',
      'Progress: 40%',
      'Mask: on',
      '✓ parses: ok',
      '- Installing: deps',
      '+ make: all',
      '# comment: x',
      'okay: retrying',
      '',
      '    at Object.<anonymous> (/app/src/index.js:10:15)',
    ])
      assert.equal(scanMarkerLine(scanner, line, 'stdout').kind, 'text', JSON.stringify(line));
  });
});
