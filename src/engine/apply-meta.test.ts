// Tests applyMeta and startStepMetadata: META keys one at a time, and the metadata bounds with their one-time notices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEngineEvent, applyEngineEvents } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import { MAX_META_BYTES, MAX_META_KEYS, MAX_META_TOTAL_BYTES } from './engine-limits.js';
import type { EngineEffect, EngineEvent, EngineState } from './engine-types.js';

const out = (content: string): EngineEvent => ({ type: 'line', at: 100, stream: 'stdout', content });
const running = (metadata: Record<string, unknown> = {}): EngineState =>
  applyEngineEvents(createEngineState({ markerMode: 'line_start' }, metadata), [{ type: 'started', at: 10, pid: 42 }])
    .state;
const warnings = (effects: EngineEffect[]): string[] =>
  effects.flatMap((effect) => (effect.type === 'log' && effect.line.stream === 'system' ? [effect.line.content] : []));
const metaLines = (count: number, key = (i: number) => `k${i}`): EngineEvent[] =>
  Array.from({ length: count }, (_, i) => out(`META:${key(i)}:v${i}`));

/** Wraps an object in a proxy that counts every property read, key listing and property definition on it. */
function counted<T extends object>(target: T, counter: { touches: number }): T {
  return new Proxy(target, {
    get: (t, key, receiver) => (counter.touches++, Reflect.get(t, key, receiver)),
    ownKeys: (t) => (counter.touches++, Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: (t, key) => (counter.touches++, Reflect.getOwnPropertyDescriptor(t, key)),
    defineProperty: (t, key, descriptor) => (counter.touches++, Reflect.defineProperty(t, key, descriptor)),
    set: (t, key, value, receiver) => (counter.touches++, Reflect.set(t, key, value, receiver)),
  });
}

describe('applyMeta', () => {
  it('keeps the first 100 keys of the execution metadata and says so once (regression: unbounded META)', () => {
    const { state, effects } = applyEngineEvents(running(), metaLines(MAX_META_KEYS + 50));
    assert.equal(Object.keys(state.execution.metadata).length, MAX_META_KEYS);
    assert.equal(state.execution.metadata['k99'], 'v99');
    assert.equal(state.execution.metadata['k100'], undefined);
    assert.equal(warnings(effects).length, 1);
    assert.match(
      warnings(effects)[0] ?? '',
      /^warning: META ignored: the execution's metadata holds at most 100 keys and 65,536 bytes/,
    );
    assert.equal(effects.filter((effect) => effect.type === 'metadata_changed').length, MAX_META_KEYS);
  });

  it('still replaces an existing key once the object is full', () => {
    const { state } = applyEngineEvents(running(), [...metaLines(MAX_META_KEYS + 1), out('META:k5:changed')]);
    assert.equal(state.execution.metadata['k5'], 'changed');
  });

  it('refuses a value that would take one object past 64 KiB, and later growth, with one notice', () => {
    const big = 'x'.repeat(MAX_META_BYTES - 100);
    const { state, effects } = applyEngineEvents(running(), [
      out(`META:big:${big}`),
      out(`META:more:${'y'.repeat(200)}`),
      out('META:small:1'),
      out(`META:again:${'z'.repeat(200)}`),
    ]);
    assert.deepEqual(Object.keys(state.execution.metadata), ['big', 'small']);
    assert.equal(warnings(effects).length, 1);
  });

  it('bounds each step on its own and names the step in its notice', () => {
    const { state, effects } = applyEngineEvents(running(), [
      out('STEP_START:A'),
      ...metaLines(MAX_META_KEYS + 1),
      out('STEP_START:B'),
      ...metaLines(3),
    ]);
    assert.equal(Object.keys(state.steps[0]?.metadata ?? {}).length, MAX_META_KEYS);
    assert.deepEqual(state.steps[1]?.metadata, { k0: 'v0', k1: 'v1', k2: 'v2' });
    assert.deepEqual(warnings(effects), [
      `warning: META ignored: the metadata of step "A" holds at most 100 keys and 65,536 bytes; later META lines that would grow it are ignored too`,
    ]);
  });

  it('bounds the metadata of the execution and all its steps together at 1 MiB', () => {
    const value = 'v'.repeat(60_000);
    const steps = Math.ceil(MAX_META_TOTAL_BYTES / 60_000) + 2;
    const events = Array.from({ length: steps }, (_, i) => [out(`STEP_START:S${i}`), out(`META:blob:${value}`)]).flat();
    const { state, effects } = applyEngineEvents(running(), events);
    const kept = state.steps.filter((step) => step.metadata['blob'] !== undefined).length;
    assert.equal(kept, Math.floor(MAX_META_TOTAL_BYTES / 60_004));
    assert.equal(state.usage.metaBytes, kept * 60_004);
    assert.equal(warnings(effects).filter((line) => line.includes('1,048,576 bytes')).length, 1);
  });

  it('counts the request metadata against the execution bound', () => {
    const metadata = Object.fromEntries(Array.from({ length: MAX_META_KEYS }, (_, i) => [`r${i}`, i]));
    const { state, effects } = applyEngineEvents(running(metadata), [out('META:extra:1')]);
    assert.equal(state.execution.metadata['extra'], undefined);
    assert.equal(warnings(effects).length, 1);
  });

  it('emits one key per META line, so the effects of n lines weigh O(n) (regression: whole metadata per line)', () => {
    const lines = 2_000;
    const meta = metaLines(lines, (i) => `k${i % 90}`);
    const { effects: inStep } = applyEngineEvents(running(), [out('STEP_START:Build'), ...meta]);
    const { effects: outside } = applyEngineEvents(running(), meta);
    for (const all of [inStep, outside]) {
      const weight = JSON.stringify(all.filter((effect) => effect.type !== 'log')).length;
      assert.ok(weight < lines * 100, `${weight} bytes of effects for ${lines} META lines`);
    }
  });

  it('touches a constant number of metadata properties per META line (regression: a copy of the object per line)', () => {
    let state = running();
    const counter = { touches: 0 };
    let proxied: Record<string, unknown> | null = null;
    const lines = 3_000;
    for (let i = 0; i < lines; i++) {
      // Wrap again only if the engine replaced the object, so a copy per line shows in the count.
      if (state.execution.metadata !== proxied)
        state.execution = { ...state.execution, metadata: (proxied = counted(state.execution.metadata, counter)) };
      state = applyEngineEvent(state, out(`META:k${i % 90}:v${i}`)).state;
    }
    // A spread of the 90-key object per line would read ~90 properties per line.
    assert.ok(counter.touches < lines * 10, `${counter.touches} property accesses for ${lines} META lines`);
  });

  it('keeps a META key named __proto__ as data', () => {
    const { state } = applyEngineEvents(running(), [out('META:__proto__:x')]);
    assert.equal(Object.getPrototypeOf(state.execution.metadata), Object.prototype);
    assert.deepEqual(Object.entries(state.execution.metadata), [['__proto__', 'x']]);
  });
});

describe('startStepMetadata', () => {
  it('keeps the STEP_START options that fit and says once that others were left out', () => {
    const options = Array.from({ length: MAX_META_KEYS + 5 }, (_, i) => `o${i}=${i}`).join(', ');
    const { state, effects } = applyEngineEvents(running(), [out(`STEP_START:Wide[stop_on_error=true, ${options}]`)]);
    const step = state.steps[0];
    assert.equal(Object.keys(step?.metadata ?? {}).length, MAX_META_KEYS);
    assert.equal(step?.stop_on_error, true);
    assert.equal(state.usage.stepMeta.keys, MAX_META_KEYS);
    assert.equal(warnings(effects).length, 1);
    assert.match(warnings(effects)[0] ?? '', /^warning: options of step "Wide" left out of its metadata/);
  });
});
