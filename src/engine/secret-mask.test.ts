// Tests secret masking: the mask set, the 4-character rule, and masking of every engine effect that leaves the core.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEngineEvents } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import type { EngineEffect, EngineEvent } from './engine-types.js';
import { createSecretMask, maskText, maskValue, SecretMask } from './secret-mask.js';

const feed = applyEngineEvents;

const out = (content: string): EngineEvent => ({ type: 'line', at: 100, stream: 'stdout', content });
const started: EngineEvent = { type: 'started', at: 10, pid: 42 };
const contents = (effects: EngineEffect[]): string[] =>
  effects.flatMap((e) => (e.type === 'log' ? [e.line.content] : []));

describe('maskText', () => {
  it('replaces every occurrence of every secret, longest first', () => {
    const mask = createSecretMask(['abcd', 'abcdefgh']);
    assert.equal(maskText(mask, 'x abcdefgh y abcd z abcdabcd'), 'x *** y *** z ******');
  });

  it('leaves values shorter than 4 characters alone', () => {
    const mask = createSecretMask(['abc', 'ok']);
    assert.equal(mask.size, 0);
    assert.equal(maskText(mask, 'abc ok'), 'abc ok');
  });

  it('treats regular expression characters in a secret literally', () => {
    const mask = createSecretMask(['a.b*c+(d)$']);
    assert.equal(maskText(mask, 'axbbc a.b*c+(d)$!'), 'axbbc ***!');
  });

  it('adds nothing for a value already known or too short', () => {
    const mask = createSecretMask(['secret-1']);
    assert.equal(mask.add('secret-1'), false);
    assert.equal(mask.add('abc'), false);
    assert.equal(mask.size, 1);
  });

  it('masks strings nested in metadata, keys included', () => {
    const mask = createSecretMask(['hunter22']);
    assert.deepEqual(maskValue(mask, { a: ['x hunter22'], hunter22: 1, n: 3 }), { a: ['x ***'], '***': 1, n: 3 });
  });
});

describe('SecretMask', () => {
  it('keeps "leftmost, then longest" when the values sit in different automata', () => {
    const mask = new SecretMask();
    for (const value of ['abcd', 'bcdefghij', 'abcdefgh']) mask.add(value);
    assert.ok(mask.automata > 1);
    assert.equal(mask.mask('xabcdefghijy'), 'x***ijy');
    assert.equal(mask.mask('bcdefghij abcd abcdefg'), '*** *** ***efg');
  });

  it('scans with O(log n) automata while values are added one at a time (regression: one pattern of all values rebuilt per MASK)', () => {
    const mask = new SecretMask();
    for (let i = 1; i <= 1000; i++) {
      mask.add(`value-${i}-x`);
      assert.ok(mask.automata <= Math.floor(Math.log2(i)) + 1, `${mask.automata} automata for ${i} values`);
    }
    assert.equal(mask.mask('a value-1-x b value-1000-x c value-1001-x'), 'a *** b *** c value-1001-x');
  });

  it('merges its automata into one once the extra scanning has cost as much as the merge', () => {
    const mask = new SecretMask();
    for (let i = 0; i < 7; i++) mask.add(`token-${i}`);
    assert.equal(mask.automata, 3);
    assert.equal(mask.mask(`${'.'.repeat(100)} token-6`), `${'.'.repeat(100)} ***`);
    assert.equal(mask.automata, 1);
    assert.equal(mask.mask('token-0 token-3 token-6'), '*** *** ***');
  });
});

describe('masking in applyEngineEvent', () => {
  it('masks secrets given at creation from the first line', () => {
    const state = createEngineState({ markerMode: 'line_start', secrets: ['tok-12345'] });
    const { effects } = feed(state, [started, out('using tok-12345 now')]);
    assert.deepEqual(contents(effects), ['using *** now']);
  });

  it('masks a MASK value from its own marker line on, not before', () => {
    const state = createEngineState({ markerMode: 'line_start' });
    const { effects } = feed(state, [started, out('early s3cr3t!'), out('MASK:s3cr3t!'), out('late s3cr3t!')]);
    assert.deepEqual(contents(effects), ['early s3cr3t!', 'MASK:***', 'late ***']);
  });

  it('accepts GitHub ::add-mask::', () => {
    const state = createEngineState({ markerMode: 'line_start' });
    const { effects } = feed(state, [started, out('::add-mask::p@ssw0rd'), out('pw=p@ssw0rd')]);
    assert.deepEqual(contents(effects), ['::add-mask::***', 'pw=***']);
  });

  it('warns about a MASK value shorter than 4 characters and leaves it visible', () => {
    const state = createEngineState({ markerMode: 'line_start' });
    const { effects } = feed(state, [started, out('MASK:abc'), out('abc')]);
    assert.deepEqual(contents(effects), [
      'MASK:abc',
      'warning: MASK value shorter than 4 characters is not masked',
      'abc',
    ]);
  });

  it('masks step names, step errors, metadata and execution metadata in emitted effects', () => {
    const state = createEngineState({ markerMode: 'line_start', secrets: ['topsecret'] });
    const { effects } = feed(state, [
      started,
      out('META:token:topsecret'),
      out('STEP_START:deploy topsecret'),
      out('META:url:https://topsecret@host'),
      out('STEP_ERROR:bad topsecret'),
      { type: 'exited', at: 900, exit_code: 1, signal: null },
    ]);
    const json = JSON.stringify(effects);
    assert.equal(json.includes('topsecret'), false, json);
    const step = effects.find((e) => e.type === 'step_changed' && e.step.status === 'failed');
    assert.ok(step?.type === 'step_changed');
    assert.equal(step.step.name, 'deploy ***');
    assert.equal(step.step.error_message, 'bad ***');
  });

  it('still matches STEP_COMPLETE against the real step name', () => {
    const state = createEngineState({ markerMode: 'line_start', secrets: ['hidden'] });
    const { state: after, effects } = feed(state, [
      started,
      out('STEP_START:a hidden step'),
      out('STEP_COMPLETE:a hidden step'),
    ]);
    assert.equal(after.steps[0]?.status, 'completed');
    assert.deepEqual(contents(effects), ['STEP_START:a *** step', 'STEP_COMPLETE:a *** step']);
  });
});
