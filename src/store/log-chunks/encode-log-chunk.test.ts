import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../../core/log-line.js';
import { decodeLogChunk } from './decode-log-chunk.js';
import { encodeLogChunk } from './encode-log-chunk.js';
import { filterMayContain, hashNeedleGrams } from './gram-filter.js';
import { completesChunk, splitForSealing } from './split-for-sealing.js';

function lines(from: number, to: number, step: number | null): LogLine[] {
  const out: LogLine[] = [];
  for (let n = from; n <= to; n++)
    out.push({
      line: n,
      ts: 1_700_000_000_000 + n * 3 - (n % 7),
      stream: n % 5 === 0 ? 'stderr' : 'stdout',
      step_index: step,
      content: `line ${n} compiling module ${n % 13}`,
    });
  return out;
}

describe('encodeLogChunk / decodeLogChunk', () => {
  it('round-trips contents, timestamps (also going back), streams and step, and counts streams without decoding', () => {
    const input = [
      ...lines(10, 40, 2),
      { line: 41, ts: 5, stream: 'system' as const, step_index: 2, content: 'ünï 🚀\ttab\r\x1b[31mred \ud83d' },
      { line: 42, ts: 6, stream: 'stdout' as const, step_index: 2, content: '\ude80 lone halves' },
      { line: 43, ts: 2 ** 52, stream: 'stdout' as const, step_index: 2, content: '' },
    ];
    const chunk = encodeLogChunk(input);
    assert.deepEqual(
      [chunk.first_line, chunk.last_line, chunk.step_index, chunk.stdout_lines, chunk.stderr_lines, chunk.system_lines],
      [10, 43, 2, 26, 7, 1],
    );
    assert.deepEqual(decodeLogChunk(chunk, chunk.data), input);
  });

  it('refuses an unknown codec rather than returning garbage', () => {
    const chunk = encodeLogChunk(lines(1, 2, null));
    assert.throws(() => decodeLogChunk({ ...chunk, codec: 99 }, chunk.data), /unknown log chunk codec 99/);
  });
});

describe('gram filter', () => {
  it('never rules out a chunk holding the needle, case-insensitively and past colour escapes', () => {
    const chunk = encodeLogChunk([
      { line: 1, ts: 1, stream: 'stdout', step_index: null, content: 'Error: read \x1b[1mECONN\x1b[0mRESET at socket' },
      ...lines(2, 300, null),
    ]);
    for (const needle of ['econnreset', 'socket', 'line 299 ', 'compiling module 12'])
      assert.equal(filterMayContain(chunk.grams, hashNeedleGrams(needle)), true, needle);
  });

  it('rules out a chunk that lacks a rare needle', () => {
    const chunk = encodeLogChunk(lines(1, 300, null));
    assert.equal(filterMayContain(chunk.grams, hashNeedleGrams('econnreset')), false);
  });
});

describe('splitForSealing / completesChunk', () => {
  it('cuts at step changes and at 1,024 lines, keeping the unfinished run as the tail', () => {
    const plan = splitForSealing([...lines(1, 3, null), ...lines(4, 1100, 0), ...lines(601, 610, 1)], false);
    assert.deepEqual(
      plan.sealed.map((run) => [run[0]?.line, run.at(-1)?.line]),
      [
        [1, 3],
        [4, 1027],
        [1028, 1100],
      ],
    );
    assert.deepEqual([plan.rest[0]?.line, plan.rest.at(-1)?.line], [601, 610]);
    assert.equal(splitForSealing(lines(1, 3, null), true).sealed.length, 1);
  });

  it('eagerly seals a last run of half a chunk or more, halves one after a full chunk, and keeps a short one', () => {
    const ranges = (plan: { sealed: LogLine[][] }): (number | undefined)[][] =>
      plan.sealed.map((run) => [run[0]?.line, run.at(-1)?.line]);
    const plan = splitForSealing(lines(1, 1_600, 0), false, true);
    assert.deepEqual(ranges(plan), [
      [1, 1024],
      [1025, 1600],
    ]);
    assert.equal(plan.rest.length, 0);
    const halved = splitForSealing([...lines(1, 2, null), ...lines(3, 1_100, 0)], false, true);
    assert.deepEqual(ranges(halved), [
      [1, 2],
      [3, 551],
      [552, 1100],
    ]);
    assert.equal(halved.rest.length, 0);
    const short = splitForSealing([...lines(1, 1_030, null), ...lines(1_031, 1_100, 0)], false, true);
    assert.deepEqual(ranges(short), [
      [1, 1024],
      [1025, 1030],
    ]);
    assert.equal(short.rest.length, 70);
  });

  it('says whether an append completes a chunk', () => {
    assert.equal(completesChunk(0, 0, undefined, lines(1, 100, 0)), false);
    assert.equal(completesChunk(10, 100, null, lines(11, 12, 0)), true);
    assert.equal(completesChunk(1_020, 1_000, 0, lines(1_021, 1_030, 0)), true);
    assert.equal(
      completesChunk(10, 65_000, 0, [{ line: 11, ts: 1, stream: 'stdout', step_index: 0, content: 'x'.repeat(600) }]),
      true,
    );
  });
});
