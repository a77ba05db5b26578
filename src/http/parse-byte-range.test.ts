// Tests parseByteRange: single ranges, suffixes, clamping, unsatisfiable and ignored headers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseByteRange } from './parse-byte-range.js';

describe('parseByteRange', () => {
  it('parses first-last, open-ended and suffix ranges, clamped to the file', () => {
    assert.deepEqual(parseByteRange('bytes=0-4', 15), { start: 0, end: 4 });
    assert.deepEqual(parseByteRange('bytes=10-', 15), { start: 10, end: 14 });
    assert.deepEqual(parseByteRange('bytes=10-100', 15), { start: 10, end: 14 });
    assert.deepEqual(parseByteRange('bytes=-5', 15), { start: 10, end: 14 });
    assert.deepEqual(parseByteRange('bytes=-50', 15), { start: 0, end: 14 });
  });

  it('says unsatisfiable for a range past the end or an empty suffix', () => {
    assert.equal(parseByteRange('bytes=15-', 15), 'unsatisfiable');
    assert.equal(parseByteRange('bytes=-0', 15), 'unsatisfiable');
    assert.equal(parseByteRange('bytes=0-', 0), 'unsatisfiable');
  });

  it('ignores absent, malformed, reversed, multi-range and other-unit headers', () => {
    for (const header of [undefined, 'bytes=', 'bytes=5-1', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b']) {
      assert.equal(parseByteRange(header, 15), null, String(header));
    }
  });
});
