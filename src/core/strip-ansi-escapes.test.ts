// Tests for the one escape-sequence stripper marker parsing and log search share.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripAnsiEscapes } from './strip-ansi-escapes.js';

describe('stripAnsiEscapes', () => {
  it('removes colours, cursor moves and erase codes (CSI)', () => {
    assert.equal(stripAnsiEscapes('\x1b[1;31mred\x1b[0m \x1b[2K\x1b[?25lok'), 'red ok');
  });

  it('removes titles and hyperlinks (OSC) ended by BEL or ST', () => {
    assert.equal(stripAnsiEscapes('\x1b]0;title\x07a \x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\'), 'a link');
  });

  it('removes two-byte escapes such as reverse index', () => {
    assert.equal(stripAnsiEscapes('\x1bMup\x1bEnext'), 'upnext');
  });

  it('returns text without escapes unchanged', () => {
    assert.equal(stripAnsiEscapes('plain: text'), 'plain: text');
  });
});
