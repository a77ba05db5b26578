// Owns the per-chunk trigram filter: a one-hash Bloom filter of the lower-cased visible text's trigrams.
import { visibleText } from '../../core/visible-text.js';

/** Filter bytes per byte of compressed chunk: keeps the index near a tenth of the stored log. */
const FILTER_SHARE = 0.1;
const MIN_FILTER_BYTES = 64;

/** Hash of the trigram (a, b, c) of UTF-16 code units. */
function hashTrigram(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(c + 0x165667b1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Builds the filter of the lines' trigrams, sized to a share of the compressed chunk. */
export function buildGramFilter(contents: readonly string[], compressedBytes: number): Buffer {
  const bytes = Math.max(MIN_FILTER_BYTES, Math.ceil(compressedBytes * FILTER_SHARE));
  const filter = Buffer.alloc(bytes);
  const bits = bytes * 8;
  for (const content of contents) {
    const text = visibleText(content).toLowerCase();
    for (let i = 0; i + 2 < text.length; i++) {
      const bit = hashTrigram(text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)) % bits;
      filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
    }
  }
  return filter;
}

/** The hashes of a lower-cased needle's trigrams (empty when it is shorter than three characters). */
export function hashNeedleGrams(needle: string): number[] {
  const hashes = new Set<number>();
  for (let i = 0; i + 2 < needle.length; i++) hashes.add(hashTrigram(needle.charCodeAt(i), needle.charCodeAt(i + 1), needle.charCodeAt(i + 2)));
  return [...hashes];
}

/** False only when the chunk cannot hold a line containing the needle whose gram hashes are given. */
export function filterMayContain(filter: Uint8Array, needleHashes: readonly number[]): boolean {
  const bits = filter.length * 8;
  if (bits === 0) return true;
  for (const hash of needleHashes) {
    const bit = hash % bits;
    if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
