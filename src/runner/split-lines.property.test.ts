// Property tests of createLineSplitter: any bytes in any chunking never throw, and valid text comes back byte for byte.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/fuzz-settings.js';
import { createLineSplitter, type OnLine } from './split-lines.js';

/** What the splitter promises: split at `\n`, drop one `\r` before it, no empty last line for a trailing newline. */
function expectedLines(text: string): string[] {
  const parts = text.split('\n');
  const last = parts.pop() as string;
  const lines = parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const tail = last.endsWith('\r') ? last.slice(0, -1) : last;
  if (tail !== '') lines.push(tail);
  return lines;
}

/** Feeds `bytes` to a splitter in chunks cut at `cuts` (taken modulo the length). */
function feed(bytes: Buffer, cuts: number[], onLine: OnLine, max?: number): void {
  const splitter = createLineSplitter(onLine, max);
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    splitter.push(bytes.subarray(start, cut));
    start = cut;
  }
  splitter.push(bytes.subarray(start));
  splitter.end();
}

function split(bytes: Buffer, cuts: number[], max?: number): string[] {
  const lines: string[] = [];
  feed(bytes, cuts, (line) => lines.push(line), max);
  return lines;
}

const lineText = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', '\n', '\r', '\t', 'é', '€', '😀', '\u0000', '\x1b'),
});
const anyText = fc.oneof(lineText, fc.string({ unit: 'binary' }));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('createLineSplitter (properties)', () => {
  it('never throws on arbitrary bytes in arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), cuts, (bytes, at) => {
        for (const line of split(Buffer.from(bytes), at, 16)) assert.ok(line.length <= 16);
      }),
      fuzzSettings(100),
    );
  });

  it('returns exactly the lines of any UTF-8 text, whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(anyText, cuts, (text, at) => {
        assert.deepEqual(split(Buffer.from(text, 'utf8'), at), expectedLines(text));
      }),
      fuzzSettings(100),
    );
  });

  it("flags exactly the pieces after a line's first as continuations, so joining by flag gives back the lines", () => {
    fc.assert(
      fc.property(anyText, cuts, (text, at) => {
        const lines: string[] = [];
        const join: OnLine = (piece, continuation) => {
          if (continuation) lines[lines.length - 1] += piece;
          else lines.push(piece);
        };
        feed(Buffer.from(text, 'utf8'), at, join, 8);
        assert.deepEqual(lines, expectedLines(text));
      }),
      fuzzSettings(100),
    );
  });

  it('cuts long lines into pieces that concatenate back to the line, none longer than the cap', () => {
    fc.assert(
      fc.property(anyText, cuts, (text, at) => {
        const pieces = split(Buffer.from(text, 'utf8'), at, 8);
        for (const piece of pieces) assert.ok(piece.length <= 8, `piece of ${piece.length} characters`);
        assert.equal(pieces.join(''), expectedLines(text).join(''));
        assert.ok(pieces.length >= expectedLines(text).filter((line) => line !== '').length);
      }),
      fuzzSettings(100),
    );
  });
});
