// Owns sorting a long list of names in slices, giving the event loop a turn between slices.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Most elements sorted or merged between two turns of the event loop (a few milliseconds of work). */
export const SORT_SLICE = 4096;

async function mergeInTurns(left: readonly string[], right: readonly string[]): Promise<string[]> {
  const merged: string[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (merged.length % SORT_SLICE === SORT_SLICE - 1) await nextTurn();
    // `<=` takes the left run first on ties, so equal names keep their order.
    if (j >= right.length || (i < left.length && left[i]! <= right[j]!)) merged.push(left[i++]!);
    else merged.push(right[j++]!);
  }
  return merged;
}

/**
 * Sorts strings by UTF-16 code unit (for latin1-decoded names: byte order) like Array#sort, but
 * a directory of 100,000 names would hold the event loop for a tenth of a second in one sort,
 * so it sorts slices and merges them pairwise, yielding every SORT_SLICE elements.
 */
export async function sortInTurns(items: readonly string[]): Promise<string[]> {
  if (items.length <= SORT_SLICE) return [...items].sort();
  let runs: string[][] = [];
  for (let start = 0; start < items.length; start += SORT_SLICE) {
    runs.push(items.slice(start, start + SORT_SLICE).sort());
    await nextTurn();
  }
  while (runs.length > 1) {
    const next: string[][] = [];
    for (let index = 0; index < runs.length; index += 2) {
      const right = runs[index + 1];
      next.push(right === undefined ? runs[index]! : await mergeInTurns(runs[index]!, right));
    }
    runs = next;
  }
  return runs[0] ?? [];
}
