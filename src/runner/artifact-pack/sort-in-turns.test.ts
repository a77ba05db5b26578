// Tests sortInTurns: the same order as Array#sort on lists short and long, and turns of the event loop while sorting a long one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SORT_SLICE, sortInTurns } from './sort-in-turns.js';

/** Deterministic pseudo-random names, latin1-decoded bytes included, with duplicates. */
function names(count: number): string[] {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: count }, () =>
    Buffer.from(Array.from({ length: 1 + (next() % 12) }, () => next() % 256)).toString('latin1'),
  );
}

describe('sortInTurns', () => {
  it('orders like Array#sort, which for latin1-decoded names is byte order', async () => {
    for (const count of [0, 1, 7, SORT_SLICE, SORT_SLICE + 1, 5 * SORT_SLICE + 17]) {
      const input = names(count);
      const sorted = await sortInTurns(input);
      assert.deepEqual(sorted, [...input].sort(), `${count} names`);
      const bytes = sorted.map((name) => Buffer.from(name, 'latin1'));
      assert.deepEqual(bytes, [...bytes].sort(Buffer.compare), `${count} names in byte order`);
    }
  });

  it('lets other callbacks run while it sorts a long list', async () => {
    let turns = 0;
    let sorting = true;
    const tick = (): void => {
      turns++;
      if (sorting) setImmediate(tick);
    };
    setImmediate(tick);
    await sortInTurns(names(10 * SORT_SLICE));
    sorting = false;
    assert.ok(turns >= 10, `only ${turns} turns of the event loop ran during the sort`);
  });
});
