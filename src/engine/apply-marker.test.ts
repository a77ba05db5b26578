// Tests what markers do to a running execution, driven through applyEngineEvent as the runner drives it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StepState } from '../core/step.js';
import { applyEngineEvent, applyEngineEvents } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import { MAX_ARTIFACTS, MAX_STEPS } from './engine-limits.js';
import type { EngineEffect, EngineEvent, EngineState, LogLineEffect } from './engine-types.js';

const feed = applyEngineEvents;

const out = (content: string, at = 100): EngineEvent => ({ type: 'line', at, stream: 'stdout', content });
const running = (): EngineState =>
  feed(createEngineState({ markerMode: 'line_start' }), [{ type: 'started', at: 10, pid: 42 }]).state;
const logs = (effects: EngineEffect[]): LogLineEffect[] =>
  effects.flatMap((effect) => (effect.type === 'log' ? [effect.line] : []));
const changedSteps = (effects: EngineEffect[]): StepState[] =>
  effects.flatMap((effect) => (effect.type === 'step_changed' ? [effect.step] : []));

/** Wraps an array in a proxy that counts every property read and write on it. */
function countReads<T extends object>(target: T, counter: { touches: number }): T {
  return new Proxy(target, {
    get: (t, key, receiver) => (counter.touches++, Reflect.get(t, key, receiver)),
    set: (t, key, value, receiver) => (counter.touches++, Reflect.set(t, key, value, receiver)),
  });
}

describe('applyMarker', () => {
  it('opens a running step from STEP_START with its options', () => {
    const { state, effects } = feed(running(), [out('STEP_START:Build[duration=30, owner=ops]', 50)]);
    const step = state.steps[0];
    assert.equal(step?.name, 'Build');
    assert.equal(step?.status, 'running');
    assert.equal(step?.started_at, 50);
    assert.equal(step?.created_at, 50);
    assert.equal(step?.estimated_duration, 30);
    assert.equal(step?.stop_on_error, false);
    assert.deepEqual(step?.metadata, { duration: 30, owner: 'ops' });
    assert.equal(step?.first_line, 1);
    assert.equal(state.openStep, 0);
    assert.equal(state.execution.current_step_index, 0);
    assert.equal(state.execution.total_steps, 1);
    assert.deepEqual(
      effects.map((effect) => effect.type),
      ['step_changed', 'execution_changed', 'log'],
    );
    assert.equal(logs(effects)[0]?.step_index, 0);
  });

  it('completes the open step when a new STEP_START arrives', () => {
    const { state, effects } = feed(running(), [out('STEP_START:A', 1), out('work', 2), out('STEP_START:B', 3)]);
    assert.equal(state.steps[0]?.status, 'completed');
    assert.equal(state.steps[0]?.completed_at, 3);
    assert.equal(state.steps[0]?.last_line, 2);
    assert.equal(state.steps[1]?.status, 'running');
    assert.equal(state.steps[1]?.first_line, 3);
    assert.equal(state.execution.completed_steps, 1);
    assert.equal(state.execution.current_step_index, 1);
    assert.deepEqual(
      changedSteps(effects).map((step) => [step.name, step.status]),
      [
        ['A', 'running'],
        ['A', 'completed'],
        ['B', 'running'],
      ],
    );
  });

  it('completes the open step on a matching or empty STEP_COMPLETE', () => {
    for (const marker of ['STEP_COMPLETE:Build', 'STEP_COMPLETE:', 'step_complete: Build ']) {
      const { state, effects } = feed(running(), [out('STEP_START:Build'), out(marker, 7)]);
      assert.equal(state.steps[0]?.status, 'completed', marker);
      assert.equal(state.steps[0]?.completed_at, 7);
      assert.equal(state.steps[0]?.last_line, 2);
      assert.equal(state.openStep, null);
      assert.equal(state.execution.completed_steps, 1);
      assert.equal(logs(effects)[1]?.step_index, 0, 'the marker line belongs to the step it closes');
    }
  });

  it('warns about a STEP_COMPLETE that names another step and changes nothing', () => {
    const before = feed(running(), [out('STEP_START:Build')]).state;
    const { state, effects } = feed(before, [out('STEP_COMPLETE:Test', 9)]);
    assert.deepEqual(state.steps, before.steps);
    assert.equal(state.openStep, 0);
    assert.deepEqual(logs(effects), [
      { line: 2, ts: 9, stream: 'stdout', step_index: 0, content: 'STEP_COMPLETE:Test' },
      {
        line: 3,
        ts: 9,
        stream: 'system',
        step_index: 0,
        content: 'warning: STEP_COMPLETE:"Test" does not match the open step "Build"',
      },
    ]);
    assert.equal(changedSteps(effects).length, 0);
  });

  it('warns about STEP_COMPLETE and STEP_ERROR when no step is open', () => {
    const { effects } = feed(running(), [out('STEP_COMPLETE:Build'), out('STEP_ERROR:boom')]);
    assert.deepEqual(
      logs(effects).map((line) => [line.stream, line.step_index, line.content]),
      [
        ['stdout', null, 'STEP_COMPLETE:Build'],
        ['system', null, 'warning: STEP_COMPLETE:"Build" but no step is open'],
        ['stdout', null, 'STEP_ERROR:boom'],
        ['system', null, 'warning: STEP_ERROR:"boom" but no step is open'],
      ],
    );
  });

  it('fails the open step on STEP_ERROR with its message', () => {
    const { state, effects } = feed(running(), [out('STEP_START:Build'), out('STEP_ERROR:disk full', 5)]);
    assert.equal(state.steps[0]?.status, 'failed');
    assert.equal(state.steps[0]?.error_message, 'disk full');
    assert.equal(state.steps[0]?.completed_at, 5);
    assert.equal(state.openStep, null);
    assert.equal(state.stopping, null);
    assert.ok(!effects.some((effect) => effect.type === 'kill_process_group'));
  });

  it('says "step failed" for a STEP_ERROR without a message', () => {
    const { state } = feed(running(), [out('STEP_START:Build'), out('STEP_ERROR:')]);
    assert.equal(state.steps[0]?.error_message, 'step failed');
  });

  it('stops the run once when a stop_on_error step fails, naming the step', () => {
    const { state, effects } = feed(running(), [
      out('STEP_START:Deploy[stop_on_error=true]'),
      out('STEP_ERROR:no credentials'),
      out('STEP_START:After'),
      out('STEP_ERROR:again'),
    ]);
    assert.deepEqual(state.stopping, {
      reason: 'critical_step_failed',
      message: 'critical step "Deploy" failed: no credentials',
    });
    assert.deepEqual(
      effects.filter((effect) => effect.type === 'kill_process_group'),
      [{ type: 'kill_process_group', reason: 'critical_step_failed' }],
    );
    assert.equal(state.steps.length, 1, 'markers after the stop change no state');
    assert.equal(logs(effects).length, 4, 'but their lines are still logged');
  });

  it('emits an artifact for the open step, or for the execution', () => {
    const { effects } = feed(running(), [
      out('ARTIFACT:a.txt', 3),
      out('STEP_START:Build'),
      out('ARTIFACT:dist/app.zip:The app', 4),
    ]);
    assert.deepEqual(
      effects.filter((effect) => effect.type === 'artifact'),
      [
        { type: 'artifact', path: 'a.txt', description: null, step_index: null, at: 3 },
        { type: 'artifact', path: 'dist/app.zip', description: 'The app', step_index: 0, at: 4 },
      ],
    );
  });

  it('puts META on the open step', () => {
    const { state, effects } = feed(running(), [
      out('STEP_START:Build'),
      out('META:version:1.2'),
      out('STEP_COMPLETE:Build'),
    ]);
    assert.deepEqual(state.steps[0]?.metadata, { version: 1.2 });
    assert.deepEqual(state.execution.metadata, {});
    assert.deepEqual(
      effects.filter((effect) => effect.type === 'metadata_changed'),
      [{ type: 'metadata_changed', step_index: 0, key: 'version', value: 1.2 }],
      'one key per META line, not the whole step',
    );
    assert.deepEqual(
      changedSteps(effects).at(-1)?.metadata,
      { version: 1.2 },
      'the step as closed carries all its metadata',
    );
    assert.equal(changedSteps(effects).at(-1)?.last_line, 3);
  });

  it('puts META on the execution when no step is open', () => {
    const { state, effects } = feed(running(), [out('META:branch:main')]);
    assert.deepEqual(state.execution.metadata, { branch: 'main' });
    assert.deepEqual(
      effects.filter((effect) => effect.type !== 'log'),
      [{ type: 'metadata_changed', step_index: null, key: 'branch', value: 'main' }],
    );
  });

  it('lets a declared total_steps set the progress denominator', () => {
    let { state } = feed(running(), [out('META:total_steps:3'), out('STEP_START:A')]);
    assert.equal(state.execution.total_steps, 3);
    ({ state } = feed(state, [out('STEP_START:B'), out('STEP_START:C'), out('STEP_START:D'), out('STEP_COMPLETE:D')]));
    assert.equal(state.execution.total_steps, 4, 'steps seen win over a smaller declared total');
    assert.equal(state.execution.completed_steps, 4);
  });

  it('keeps a malformed marker as text and warns right after it', () => {
    const { state, effects } = feed(running(), [out('STEP_START:Build'), out('STEP_START:Oops[a=1', 8)]);
    assert.equal(state.steps.length, 1);
    assert.deepEqual(logs(effects).slice(1), [
      { line: 2, ts: 8, stream: 'stdout', step_index: 0, content: 'STEP_START:Oops[a=1' },
      {
        line: 3,
        ts: 8,
        stream: 'system',
        step_index: 0,
        content: 'warning: malformed marker: STEP_START:Oops[a=1: the "[" option block is not closed with "]"',
      },
    ]);
  });

  it('opens at most 1,000 steps, then keeps step markers as text with one notice (regression: unbounded steps)', () => {
    const pairs = Array.from({ length: MAX_STEPS + 3 }, (_, i) => [
      out(`STEP_START:S${i}`),
      out(`STEP_COMPLETE:S${i}`),
    ]).flat();
    const { state, effects } = feed(running(), [...pairs, out('STEP_ERROR:late'), out('after')]);
    assert.equal(state.steps.length, MAX_STEPS);
    assert.equal(state.openStep, null);
    assert.equal(state.execution.completed_steps, MAX_STEPS);
    assert.equal(state.execution.current_step_index, null);
    const system = logs(effects).filter((line) => line.stream === 'system');
    assert.deepEqual(
      system.map((line) => line.content),
      ['warning: step limit reached: an execution has at most 1,000 steps; from here on step markers are plain text'],
    );
    assert.equal(logs(effects).at(-1)?.step_index, null);
  });

  it('closes the open step at the STEP_START past the bound', () => {
    const starts = Array.from({ length: MAX_STEPS + 1 }, (_, i) => out(`STEP_START:S${i}`));
    const { state } = feed(running(), starts);
    assert.equal(state.steps.at(-1)?.status, 'completed');
    assert.equal(state.execution.completed_steps, MAX_STEPS);
  });

  it('touches the steps a constant number of times per step marker (regression: the steps array copied and counted per change)', () => {
    const counter = { touches: 0 };
    let state = running();
    let proxied: StepState[] | null = null;
    const markers = 2 * 900;
    for (let i = 0; i < markers; i++) {
      // Wrap again only if the engine replaced the array, so a copy per change shows in the count.
      if (state.steps !== proxied) state = { ...state, steps: (proxied = countReads(state.steps, counter)) };
      state = applyEngineEvent(state, out(i % 2 === 0 ? `STEP_START:S${i}` : `STEP_COMPLETE:S${i - 1}`)).state;
    }
    assert.ok(counter.touches < markers * 20, `${counter.touches} reads of the steps for ${markers} step markers`);
  });

  it('collects at most 1,000 ARTIFACT announcements and says so once', () => {
    const lines = Array.from({ length: MAX_ARTIFACTS + 10 }, (_, i) => out(`ARTIFACT:missing-${i}.txt`));
    const { effects } = feed(running(), lines);
    assert.equal(effects.filter((effect) => effect.type === 'artifact').length, MAX_ARTIFACTS);
    assert.deepEqual(
      logs(effects)
        .filter((line) => line.stream === 'system')
        .map((line) => line.content),
      [
        'warning: ARTIFACT limit reached: an execution announces at most 1,000 artifacts; later ARTIFACT lines are not collected',
      ],
    );
  });

  it('honours the anywhere match mode', () => {
    const start = feed(createEngineState({ markerMode: 'anywhere' }), [{ type: 'started', at: 1, pid: 1 }]).state;
    const { state } = feed(start, [out('+ echo STEP_START:x')]);
    assert.equal(state.steps[0]?.name, 'x');
    assert.equal(feed(running(), [out('+ echo STEP_START:x')]).state.steps.length, 0);
  });
});
