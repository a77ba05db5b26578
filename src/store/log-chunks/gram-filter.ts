// Owns the per-chunk trigram filter: a one-hash Bloom filter of the lower-cased visible text's trigrams.
import { visibleText } from '../../core/visible-text.js';

/** Filter bytes per byte of compressed chunk: keeps the index near a tenth of the stored log. */
const FILTER_SHARE = 0.1;
const MIN_FILTER_BYTES = 64;

/**
 * Bit of a trigram in a filter of 2^`bitsLog2` bits. The trigram is the low bytes of three UTF-16 code units, so
 * other characters share slots with ASCII ones: a collision can only let a chunk through, never rule one out.
 */
function gramBit(trigram: number, bitsLog2: number): number {
  return Math.imul(trigram, 0x9e3779b1) >>> (32 - bitsLog2);
}

/** The filter size for a chunk: a power of two bytes near a share of its compressed size. */
function filterBytesFor(compressedBytes: number): number {
  const wanted = Math.max(MIN_FILTER_BYTES, compressedBytes * FILTER_SHARE);
  return 2 ** Math.round(Math.log2(wanted));
}

/** Builds the filter of the lines' trigrams (a line's trigrams only; none spans two lines). */
export function buildGramFilter(contents: readonly string[], compressedBytes: number): Buffer {
  const filter = Buffer.alloc(filterBytesFor(compressedBytes));
  const bitsLog2 = Math.log2(filter.length * 8);
  for (const content of contents) {
    const text = visibleText(content).toLowerCase();
    let trigram = ((text.charCodeAt(0) & 0xff) << 8) | (text.charCodeAt(1) & 0xff);
    for (let i = 2; i < text.length; i++) {
      trigram = ((trigram << 8) | (text.charCodeAt(i) & 0xff)) & 0xffffff;
      const bit = gramBit(trigram, bitsLog2);
      filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
    }
  }
  return filter;
}

/** The trigrams of a lower-cased needle (empty when it is shorter than three characters). */
export function hashNeedleGrams(needle: string): number[] {
  const grams = new Set<number>();
  for (let i = 2; i < needle.length; i++) {
    grams.add(
      ((needle.charCodeAt(i - 2) & 0xff) << 16) |
        ((needle.charCodeAt(i - 1) & 0xff) << 8) |
        (needle.charCodeAt(i) & 0xff),
    );
  }
  return [...grams];
}

/** False only when the chunk cannot hold a line containing the needle whose trigrams are given. */
export function filterMayContain(filter: Uint8Array, needleGrams: readonly number[]): boolean {
  const bits = filter.length * 8;
  if (bits < 8 || (bits & (bits - 1)) !== 0) return true;
  const bitsLog2 = Math.log2(bits);
  for (const trigram of needleGrams) {
    const bit = gramBit(trigram, bitsLog2);
    if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
