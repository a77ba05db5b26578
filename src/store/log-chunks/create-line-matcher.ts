// Owns what a log search matches: a case-insensitive literal or regular expression over each line's visible text.
import { visibleText } from '../../core/visible-text.js';
import { hashNeedleGrams } from './gram-filter.js';
import { requiredLiterals } from './regex-required-literals.js';

/** A compiled search: the test for one line, and the trigram hashes a chunk must hold (null: filters cannot help). */
export interface LineMatcher {
  matches(content: string): boolean;
  needleHashes: number[] | null;
}

/** Compiles a search; throws SyntaxError for an invalid regular expression. */
export function createLineMatcher(text: string, regex: boolean): LineMatcher {
  if (regex) {
    const pattern = new RegExp(text, 'i');
    // A line can only match if it holds every literal run the pattern requires, so those runs' trigrams filter chunks.
    const hashes = [...new Set(requiredLiterals(text).flatMap(hashNeedleGrams))];
    return {
      matches: (content) => pattern.test(visibleText(content)),
      needleHashes: hashes.length > 0 ? hashes : null,
    };
  }
  const needle = text.toLowerCase();
  const hashes = hashNeedleGrams(needle);
  return {
    matches: (content) => visibleText(content).toLowerCase().includes(needle),
    needleHashes: hashes.length > 0 ? hashes : null,
  };
}
