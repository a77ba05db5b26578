// Property tests of the regex analysis behind chunk skipping: a line a pattern matches always passes its chunk's filter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzSettings } from '../../../test/fuzz-settings.js';
import { visibleText } from '../../core/visible-text.js';
import { createLineMatcher } from './create-line-matcher.js';
import { buildGramFilter, filterMayContain } from './gram-filter.js';
import { requiredLiterals } from './regex-required-literals.js';

// Regex syntax and literal text mixed, so every branch of the analysis is reached, and lines built from the same text.
const patternToken = fc.constantFrom(
  'err',
  'or',
  'ECONN',
  'reset',
  'abc',
  'x',
  ' ',
  '.',
  '*',
  '+',
  '?',
  '{2}',
  '{0,3}',
  '{1,}',
  '|',
  '(',
  ')',
  '(?:',
  '(?=',
  '(?!',
  '(?<=',
  '(?<n>',
  '[a-c]',
  '[]',
  '[^]',
  '[\\]x]',
  '\\d',
  '\\w',
  '\\b',
  '\\.',
  '\\x41',
  '\\u0042',
  '\\cA',
  '\\1',
  '\\k<n>',
  '\\p{L}',
  '^',
  '$',
  'é',
  'Σ',
  '{',
  '}',
  ']',
  '\\',
  'ſ',
  'K',
);
const lineToken = fc.constantFrom(
  'err',
  'or',
  'ECONN',
  'econn',
  'RESET',
  'reset',
  'abc',
  'ABC',
  'x',
  ' ',
  'A',
  'B',
  '7',
  '.',
  'é',
  'É',
  'σ',
  'ς',
  'ſ',
  'K',
  'p{L}',
  '{2}',
  '\x1b[1m',
  '\r',
  '\x01',
  ']x',
  'u0042',
);

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'i');
    return true;
  } catch {
    return false;
  }
}

describe('requiredLiterals (property)', () => {
  it('every line a pattern matches contains each required run, so its chunk filter lets it through', () => {
    fc.assert(
      fc.property(
        fc
          .array(patternToken, { maxLength: 12 })
          .map((tokens) => tokens.join(''))
          .filter(compiles),
        fc.array(
          fc.array(lineToken, { maxLength: 14 }).map((tokens) => tokens.join('')),
          { maxLength: 20 },
        ),
        (source, contents) => {
          const matcher = createLineMatcher(source, true);
          const runs = requiredLiterals(source);
          for (const content of contents) {
            if (!matcher.matches(content)) continue;
            const text = visibleText(content).toLowerCase();
            for (const run of runs) assert.ok(text.includes(run), `${JSON.stringify(source)} ${run} ${content}`);
            const filter = buildGramFilter([content], 4_096);
            assert.ok(matcher.needleHashes === null || filterMayContain(filter, matcher.needleHashes));
          }
        },
      ),
      fuzzSettings(3_000),
    );
  });

  it('matches lines built to contain what the pattern asks for', () => {
    // Patterns that are mostly literal, so matches do happen and the property above is not vacuous.
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('econn', 'reset', ' at ', 'x+', '\\d', '(?:ab)?', 'cd'), {
          minLength: 1,
          maxLength: 6,
        }),
        (parts) => {
          const source = parts.join('');
          const line = parts
            .map((part) => part.replace('x+', 'xxx').replace('\\d', '7').replace('(?:ab)?', ''))
            .join('');
          const matcher = createLineMatcher(source, true);
          assert.ok(matcher.matches(`>> ${line.toUpperCase()} <<`), source);
          const filter = buildGramFilter([line.toUpperCase()], 4_096);
          assert.ok(matcher.needleHashes === null || filterMayContain(filter, matcher.needleHashes));
        },
      ),
      fuzzSettings(500),
    );
  });
});

describe('requiredLiterals', () => {
  it('keeps literal runs outside alternations and optional parts, and nothing when the pattern promises none', () => {
    const cases: [string, string[]][] = [
      ['ECONNRESET', ['econnreset']],
      ['foo.*bar', ['foo', 'bar']],
      ['abc?def', ['def']],
      ['ab+cde', ['cde']],
      ['err(or)?s found', ['err', 's found']],
      ['npm warn (deprecated)', ['npm warn ', 'deprecated']],
      ['(hello|world) there', [' there']],
      ['x(?:abc){2,}yz', ['abc']],
      ['(?!abc)def', ['def']],
      ['[abc]xyz\\.log', ['xyz.log']],
      ['\\bECONN\\w+', ['econn']],
      ['café time', ['caf', ' time']],
      ['a|bcd', []],
      ['\\d+\\s*ms', []],
      [`${'('.repeat(40)}abc${')'.repeat(40)}`, []],
    ];
    for (const [source, runs] of cases) assert.deepEqual(requiredLiterals(source), runs, source);
  });
});
