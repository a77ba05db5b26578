// Tests parseStepflowMarker: marker forms, ANSI prefixes, both match modes and malformed markers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkerEvent } from './marker-event.js';
import { parseStepflowMarker } from './parse-stepflow-marker.js';

const parse = (line: string): MarkerEvent => parseStepflowMarker(line, 'line_start');
const anywhere = (line: string): MarkerEvent => parseStepflowMarker(line, 'anywhere');

function warningOf(event: MarkerEvent): string {
  assert.equal(event.kind, 'malformed', `expected malformed, got ${JSON.stringify(event)}`);
  return event.kind === 'malformed' ? event.warning : '';
}

describe('parseStepflowMarker', () => {
  it('reads plain lines as text', () => {
    assert.deepEqual(parse('hello world'), { kind: 'text' });
    assert.deepEqual(parse(''), { kind: 'text' });
    assert.deepEqual(parse('    indented: with a colon'), { kind: 'text' });
  });

  it('reads STEP_START with and without options', () => {
    assert.deepEqual(parse('STEP_START:Build'), { kind: 'step_start', name: 'Build', options: {} });
    assert.deepEqual(parse('STEP_START:Run tests[stop_on_error=true, duration=30]'), {
      kind: 'step_start',
      name: 'Run tests',
      options: { stop_on_error: true, duration: 30 },
    });
    assert.deepEqual(parse('STEP_START:Deploy {stop_on_error:true}'), {
      kind: 'step_start',
      name: 'Deploy',
      options: { stop_on_error: true },
    });
    assert.deepEqual(parse('STEP_START:Lint --duration=5 --owner=qa'), {
      kind: 'step_start',
      name: 'Lint',
      options: { duration: 5, owner: 'qa' },
    });
  });

  it('keeps a double dash inside a word as part of the name', () => {
    assert.deepEqual(parse('STEP_START:build--fast'), { kind: 'step_start', name: 'build--fast', options: {} });
  });

  it('reads the token in any case', () => {
    assert.deepEqual(parse('step_start:Build'), { kind: 'step_start', name: 'Build', options: {} });
    assert.deepEqual(parse('Step_Complete:Build'), { kind: 'step_complete', name: 'Build' });
    assert.deepEqual(parse('meta:k:v'), { kind: 'meta', key: 'k', value: 'v' });
  });

  it('trims a trailing carriage return and whitespace', () => {
    assert.deepEqual(parse('STEP_START:Build  \r'), { kind: 'step_start', name: 'Build', options: {} });
    assert.deepEqual(parse('STEP_COMPLETE:Build\r'), { kind: 'step_complete', name: 'Build' });
  });

  it('reads STEP_COMPLETE and STEP_ERROR, allowing empty names and messages', () => {
    assert.deepEqual(parse('STEP_COMPLETE:Build'), { kind: 'step_complete', name: 'Build' });
    assert.deepEqual(parse('STEP_COMPLETE:'), { kind: 'step_complete', name: '' });
    assert.deepEqual(parse('STEP_ERROR:disk full: 0 bytes left'), {
      kind: 'step_error',
      message: 'disk full: 0 bytes left',
    });
    assert.deepEqual(parse('STEP_ERROR:'), { kind: 'step_error', message: '' });
  });

  it('reads ARTIFACT with and without a description', () => {
    assert.deepEqual(parse('ARTIFACT:dist/app.tar.gz:The build: zipped'), {
      kind: 'artifact',
      path: 'dist/app.tar.gz',
      description: 'The build: zipped',
    });
    assert.deepEqual(parse('ARTIFACT:report.html'), { kind: 'artifact', path: 'report.html', description: null });
    assert.deepEqual(parse('ARTIFACT: report.html : '), { kind: 'artifact', path: 'report.html', description: null });
  });

  it('reads META and types its value', () => {
    assert.deepEqual(parse('META:version:1.2.3'), { kind: 'meta', key: 'version', value: '1.2.3' });
    assert.deepEqual(parse('META:total_steps:5'), { kind: 'meta', key: 'total_steps', value: 5 });
    assert.deepEqual(parse('META:dry_run:true'), { kind: 'meta', key: 'dry_run', value: true });
    assert.deepEqual(parse('META:url:http://x:8080/'), { kind: 'meta', key: 'url', value: 'http://x:8080/' });
    assert.deepEqual(parse('META:empty:'), { kind: 'meta', key: 'empty', value: '' });
  });

  it('accepts leading whitespace and ANSI colour codes before the token', () => {
    assert.deepEqual(parse('   STEP_START:Build'), { kind: 'step_start', name: 'Build', options: {} });
    assert.deepEqual(parse('\x1b[1;32mSTEP_START:Build\x1b[0m'), { kind: 'step_start', name: 'Build', options: {} });
    assert.deepEqual(parse('\t\x1b[33m \x1b[1mMETA:\x1b[36mowner\x1b[0m:ops'), {
      kind: 'meta',
      key: 'owner',
      value: 'ops',
    });
    assert.deepEqual(parse('\x1b]0;title\x07STEP_COMPLETE:Build'), { kind: 'step_complete', name: 'Build' });
  });

  it('treats tokens later in the line as text in line_start mode', () => {
    assert.deepEqual(parse('+ echo STEP_START:x'), { kind: 'text' });
    assert.deepEqual(parse('Uploading artifact: x'), { kind: 'text' });
    assert.deepEqual(parse('see META:k:v'), { kind: 'text' });
    assert.deepEqual(parse('STEP_STARTED:x'), { kind: 'text' });
  });

  it('finds tokens anywhere in anywhere mode, as the old tool did', () => {
    assert.deepEqual(anywhere('+ echo STEP_START:x'), { kind: 'step_start', name: 'x', options: {} });
    assert.deepEqual(anywhere('Uploading artifact: x'), { kind: 'artifact', path: 'x', description: null });
    assert.deepEqual(anywhere('\x1b[1mSTEP_COMPLETE:x\x1b[0m'), { kind: 'step_complete', name: 'x' });
    assert.deepEqual(anywhere('nothing here: really'), { kind: 'text' });
  });

  it('reports an empty step name', () => {
    assert.match(warningOf(parse('STEP_START:')), /empty step name/);
    assert.match(warningOf(parse('STEP_START:  [x=1]')), /empty step name/);
    assert.match(warningOf(parse('STEP_START:--x=1')), /empty step name/);
  });

  it('reports broken step options, naming the marker', () => {
    assert.match(
      warningOf(parse('STEP_START:Build[stop_on_error=true')),
      /STEP_START:Build\[stop_on_error=true: .*not closed/,
    );
    assert.match(warningOf(parse('STEP_START:Build{a:1')), /not closed/);
    assert.match(warningOf(parse('STEP_START:Build[fast]')), /option "fast" has no "="/);
    assert.match(warningOf(parse('STEP_START:Build --fast')), /option "fast" has no "="/);
  });

  it('reports an artifact without a path', () => {
    assert.match(warningOf(parse('ARTIFACT:')), /empty path/);
    assert.match(warningOf(parse('ARTIFACT: :desc')), /empty path/);
  });

  it('reports META without a key or separator', () => {
    assert.match(warningOf(parse('META:novalue')), /no ":" between key and value/);
    assert.match(warningOf(parse('META:')), /no ":"/);
    assert.match(warningOf(parse('META::v')), /empty key/);
  });

  it('never throws, whatever the input', () => {
    const pieces = [
      'STEP_START:',
      'META:',
      'ARTIFACT:',
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '\\',
      '=',
      ':',
      ',',
      '--',
      ' ',
      '\x1b[',
      '\x1b]',
      'm',
      '\r',
      'é',
      '\u0000',
    ];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 3000; n++) {
      let line = '';
      const length = next() % 12;
      for (let i = 0; i < length; i++) line += pieces[next() % pieces.length];
      for (const mode of ['line_start', 'anywhere'] as const) {
        const event = parseStepflowMarker(line, mode);
        assert.ok(typeof event.kind === 'string');
      }
    }
  });
});
