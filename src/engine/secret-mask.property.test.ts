// Property tests of SecretMask: whatever the values and however they were added, it masks exactly as one "longest first" alternation would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/fuzz-settings.js';
import { MASK_TEXT, MIN_SECRET_LENGTH, SecretMask } from './secret-mask.js';

/** The masking StepFlow had before: one alternation of every value, longest first, scanned left to right. */
function maskByPattern(values: readonly string[], text: string): string {
  const kept = [...new Set(values.filter((value) => value.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (kept.length === 0) return text;
  return text.replace(
    new RegExp(kept.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g'),
    MASK_TEXT,
  );
}

// A small alphabet makes values overlap, nest and share prefixes and suffixes.
const unit = fc.constantFrom('a', 'b', 'c', 'ab', '.', '*', '😀', 'é');
const value = fc.array(unit, { minLength: 2, maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.array(fc.oneof(unit, value), { maxLength: 40 }).map((parts) => parts.join(''));

describe('SecretMask (properties)', () => {
  it('masks like the longest-first alternation, with values added one by one between masks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, text), { maxLength: 40 }), (steps) => {
        const mask = new SecretMask();
        const added: string[] = [];
        for (const [secret, line] of steps) {
          mask.add(secret);
          added.push(secret);
          assert.equal(mask.mask(line), maskByPattern(added, line), JSON.stringify({ added, line }));
        }
      }),
      fuzzSettings(300),
    );
  });
});
