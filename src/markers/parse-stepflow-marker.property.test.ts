// Property tests of the marker parser and the engine behind it: no line makes them throw, and plain output is logged unchanged and in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/fuzz-settings.js';
import { applyEngineEvent } from '../engine/apply-engine-event.js';
import { createEngineState } from '../engine/create-engine-state.js';
import type { MarkerMatchMode } from './marker-event.js';
import { parseStepflowMarker } from './parse-stepflow-marker.js';

const KINDS = new Set(['text', 'step_start', 'step_complete', 'step_error', 'artifact', 'meta', 'mask', 'malformed']);
const token = fc.constantFrom(
  'STEP_START:',
  'STEP_COMPLETE:',
  'STEP_ERROR:',
  'ARTIFACT:',
  'META:',
  'MASK:',
  '::add-mask::',
  'meta:',
  '--',
  '{',
  '[',
  '"',
  ':',
  '\x1b[1m',
  ' ',
  '\r',
);
// Marker-like fragments mixed with arbitrary text, so the parser's branches are actually reached.
const line = fc
  .array(fc.oneof(token, fc.string({ unit: 'binary', maxLength: 12 })), { maxLength: 8 })
  .map((parts) => parts.join(''));
const mode = fc.constantFrom<MarkerMatchMode>('line_start', 'anywhere');

describe('parseStepflowMarker (properties)', () => {
  it('never throws and always answers a known kind', () => {
    fc.assert(
      fc.property(line, mode, (text, m) => {
        assert.ok(KINDS.has(parseStepflowMarker(text, m).kind));
      }),
      fuzzSettings(2000),
    );
  });
});

describe('parseStepflowMarker at line start (properties)', () => {
  // No token starts with "x", so with anything visible before the token the line cannot be a marker.
  const ansi = fc.constantFrom('', '\x1b[1m', '\x1b[0;32m', ' ', '\t');
  it('recognises a marker only at the start of a line, after whitespace and ANSI codes', () => {
    fc.assert(
      fc.property(ansi, line, (before, rest) => {
        assert.equal(parseStepflowMarker(`${before}x${rest}`, 'line_start').kind, 'text');
      }),
      fuzzSettings(2000),
    );
  });

  it('answers a marker only for a line whose visible text starts with a token', () => {
    fc.assert(
      fc.property(ansi, line, (before, rest) => {
        const text = before + rest;
        if (parseStepflowMarker(text, 'line_start').kind === 'text') return;
        const visible = text
          // eslint-disable-next-line no-control-regex -- the ESC control character is what is stripped
          .replace(/\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g, '')
          .trimStart();
        assert.match(
          visible,
          /^(?:(?:STEP_START|STEP_COMPLETE|STEP_ERROR|ARTIFACT|META):|MASK:|::add-mask::)/i,
          JSON.stringify(text),
        );
      }),
      fuzzSettings(2000),
    );
  });
});

describe('applyEngineEvent on arbitrary output (properties)', () => {
  it('never throws and logs every output line unchanged, in order, with contiguous numbers', () => {
    // A MASK line legitimately changes later lines, so mask registrations are left out of this property.
    const plainish = line.filter((text) => !/mask/i.test(text));
    fc.assert(
      fc.property(fc.array(plainish, { maxLength: 30 }), mode, (lines, m) => {
        let state = createEngineState({ markerMode: m });
        state = applyEngineEvent(state, { type: 'started', at: 1, pid: 7 }).state;
        const logged: { line: number; stream: string; content: string }[] = [];
        for (const content of [...lines, 'after']) {
          const transition = applyEngineEvent(state, { type: 'line', at: 2, stream: 'stdout', content });
          state = transition.state;
          for (const effect of transition.effects) if (effect.type === 'log') logged.push(effect.line);
        }
        assert.deepEqual(
          logged.map((l) => l.line),
          logged.map((_, i) => i + 1),
        );
        assert.deepEqual(
          logged.filter((l) => l.stream === 'stdout').map((l) => l.content),
          [...lines, 'after'],
        );
      }),
      fuzzSettings(500),
    );
  });
});
