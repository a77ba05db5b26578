// Tests applyMask: MASK values registered before their own line is logged, within the bounds of engine-limits.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEngineEvents } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import { MAX_MASKED_BYTES, MAX_MASKED_VALUES } from './engine-limits.js';
import type { EngineEffect, EngineEvent, EngineState } from './engine-types.js';

const out = (content: string): EngineEvent => ({ type: 'line', at: 100, stream: 'stdout', content });
const running = (secrets: string[] = []): EngineState =>
  applyEngineEvents(createEngineState({ markerMode: 'line_start', secrets }), [{ type: 'started', at: 10, pid: 42 }])
    .state;
const contents = (effects: EngineEffect[]): string[] =>
  effects.flatMap((effect) => (effect.type === 'log' ? [effect.line.content] : []));
const value = (i: number): string => `secret-${i}-value`;

describe('applyMask', () => {
  it('masks the first 1,000 MASK values and says once that later ones are not (regression: unbounded MASK)', () => {
    const masks = Array.from({ length: MAX_MASKED_VALUES + 5 }, (_, i) => out(`MASK:${value(i)}`));
    const { state, effects } = applyEngineEvents(running(), [
      ...masks,
      out(`first ${value(0)}, last kept ${value(999)}, past ${value(1000)}`),
    ]);
    assert.equal(state.secrets.size, MAX_MASKED_VALUES);
    const logged = contents(effects);
    assert.equal(logged.at(-1), `first ***, last kept ***, past ${value(1000)}`);
    const notices = logged.filter((line) => line.startsWith('warning: MASK limit reached'));
    assert.equal(notices.length, 1);
    assert.equal(logged[MAX_MASKED_VALUES], 'MASK:***', 'the value past the bound is still hidden in its own line');
    assert.match(notices[0] ?? '', /at most 1,000 values of 65,536 bytes in all/);
  });

  it('stops registering once the values add up to 64 KiB', () => {
    const big = 'b'.repeat(MAX_MASKED_BYTES - 10);
    const { state, effects } = applyEngineEvents(running(), [
      out(`MASK:${big}`),
      out('MASK:0123456789ab'),
      out('MASK:short1'),
      out('x 0123456789ab short1'),
    ]);
    assert.equal(state.secrets.size, 2);
    assert.equal(contents(effects).at(-1), 'x 0123456789ab ***');
    assert.equal(contents(effects).filter((line) => line.startsWith('warning: MASK limit')).length, 1);
  });

  it('does not count values from the environment or values registered twice', () => {
    const env = Array.from({ length: 20 }, (_, i) => `env-secret-${i}`);
    const masks = Array.from({ length: MAX_MASKED_VALUES }, (_, i) => out(`MASK:${value(i)}`));
    const { state, effects } = applyEngineEvents(running(env), [
      ...masks,
      out(`MASK:${value(3)}`),
      out(`MASK:${env[0]}`),
    ]);
    assert.equal(state.secrets.size, MAX_MASKED_VALUES + env.length);
    assert.ok(!contents(effects).some((line) => line.startsWith('warning:')));
  });
});

describe('registerMaskAhead (the mask_ahead event)', () => {
  const ahead = (content: string): EngineEvent => ({ type: 'mask_ahead', content });

  it('masks a value from before its MASK line, logs nothing itself, and counts it once', () => {
    const { state, effects } = applyEngineEvents(running(), [
      ahead('::add-mask::early-value'),
      out('printed early-value first'),
      out('::add-mask::early-value'),
    ]);
    assert.deepEqual(contents(effects), ['printed *** first', '::add-mask::***']);
    assert.equal(state.usage.maskedValues, 1);
  });

  it('ignores lines that are not MASK markers, values too short, and everything once a stop is under way', () => {
    const { state } = applyEngineEvents(running(), [
      ahead('echo MASK:not-a-marker'),
      ahead('MASK:abc'),
      { type: 'cancel_requested', at: 200 },
      ahead('MASK:after-cancel'),
    ]);
    assert.equal(state.secrets.size, 0);
  });

  it('stays within the MASK bound', () => {
    const masks = Array.from({ length: MAX_MASKED_VALUES + 3 }, (_, i) => ahead(`MASK:${value(i)}`));
    const { state } = applyEngineEvents(running(), masks);
    assert.equal(state.secrets.size, MAX_MASKED_VALUES);
  });
});
