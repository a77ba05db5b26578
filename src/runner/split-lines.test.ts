// Unit tests for createLineSplitter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLineSplitter } from './split-lines.js';

function split(chunks: readonly (string | Buffer)[], maxLineChars?: number): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), maxLineChars);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

describe('createLineSplitter', () => {
  it('splits on LF and treats CRLF as one newline', () => {
    assert.deepEqual(split(['a\nb\r\nc\n']), ['a', 'b', 'c']);
  });

  it('treats a CRLF split across chunks as one newline', () => {
    assert.deepEqual(split(['a\r', '\nb\n']), ['a', 'b']);
  });

  it('keeps a lone CR inside a line for progress-bar rendering', () => {
    assert.deepEqual(split(['10%\r50%\r100%\n']), ['10%\r50%\r100%']);
  });

  it('keeps blank lines and indentation', () => {
    assert.deepEqual(split(['  indented\n\n\tTabbed\n\n']), ['  indented', '', '\tTabbed', '']);
  });

  it('does not emit a trailing empty line after a final newline', () => {
    assert.deepEqual(split(['one\ntwo\n']), ['one', 'two']);
  });

  it('flushes a final unterminated line on end', () => {
    assert.deepEqual(split(['one\ntw', 'o']), ['one', 'two']);
  });

  it('emits nothing for empty input', () => {
    assert.deepEqual(split([]), []);
  });

  it('replaces invalid UTF-8 with U+FFFD and keeps going', () => {
    assert.deepEqual(split([Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0x63, 0x0a])]), ['a\ufffd\ufffdb', 'c']);
  });

  it('replaces a truncated multi-byte sequence at the end of the stream', () => {
    assert.deepEqual(split([Buffer.from([0x61, 0xe2, 0x82])]), ['a\ufffd']);
  });

  it('reassembles multi-byte characters split across chunks', () => {
    const bytes = Buffer.from('€😀\n');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    assert.deepEqual(split(chunks), ['€😀']);
  });

  it('emits a line longer than the limit in pieces as it grows', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line), 4);
    splitter.push(Buffer.from('abcdefghij'));
    assert.deepEqual(lines, ['abcd', 'efgh']);
    splitter.push(Buffer.from('k\nxy\n'));
    splitter.end();
    assert.deepEqual(lines, ['abcd', 'efgh', 'ijk', 'xy']);
  });

  it('splits a 1 MiB+ line into 1 MiB pieces by default', () => {
    const size = 1_048_576;
    const lines = split(['x'.repeat(size + 10) + '\n', 'y'.repeat(size) + '\n']);
    assert.deepEqual(
      lines.map((line) => line.length),
      [size, 10, size],
    );
  });

  it('flags every piece after the first of an over-long line as a continuation (marker injection by padding)', () => {
    const pieces: Array<[string, boolean]> = [];
    const splitter = createLineSplitter((text, continuation) => pieces.push([text, continuation]), 4);
    // A line cut while it grows, one cut when its newline arrives in the same chunk, and one flushed by end().
    splitter.push(Buffer.from('xxxxST'));
    splitter.push(Buffer.from('EP:a\nok\nyyyyMETA:k:v\nzzzzMASK'));
    splitter.end();
    assert.deepEqual(pieces, [
      ['xxxx', false],
      ['STEP', true],
      [':a', true],
      ['ok', false],
      ['yyyy', false],
      ['META', true],
      [':k:v', true],
      ['zzzz', false],
      ['MASK', true],
    ]);
  });

  it('emits no empty piece when a line is an exact multiple of the limit', () => {
    assert.deepEqual(split(['abcdefgh\r', '\n'], 4), ['abcd', 'efgh']);
  });

  // Its speed is measured by `npm run bench` (the ingest scenario), not asserted here: timings in tests flake.
  it('splits a million short lines fed in chunks that end mid-line', () => {
    const chunk = Buffer.from('line of output 123\n'.repeat(1000) + 'part');
    const rest = Buffer.from('ial\n');
    const seen = new Map<string, number>();
    const splitter = createLineSplitter((line) => seen.set(line, (seen.get(line) ?? 0) + 1));
    for (let i = 0; i < 1000; i++) {
      splitter.push(chunk);
      splitter.push(rest);
    }
    splitter.end();
    assert.deepEqual(
      [...seen],
      [
        ['line of output 123', 1_000_000],
        ['partial', 1000],
      ],
    );
  });
});
