// Tests applyEngineEvent: the execution lifecycle, line numbering, exit handling, cancel, timeout and spawn failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEngineEvent, applyEngineEvents } from './apply-engine-event.js';
import { createEngineState } from './create-engine-state.js';
import type { EngineEffect, EngineEvent, EngineState, ExecutionProgress, LogLineEffect } from './engine-types.js';

const feed = applyEngineEvents;

const pending = (): EngineState => createEngineState({ markerMode: 'line_start' });
const started: EngineEvent = { type: 'started', at: 10, pid: 42 };
const out = (content: string, at = 100): EngineEvent => ({ type: 'line', at, stream: 'stdout', content });
const err = (content: string, at = 100): EngineEvent => ({ type: 'line', at, stream: 'stderr', content });
const exited = (exit_code: number | null, signal: string | null = null, at = 900): EngineEvent => ({
  type: 'exited',
  at,
  exit_code,
  signal,
});
const logs = (effects: EngineEffect[]): LogLineEffect[] =>
  effects.flatMap((effect) => (effect.type === 'log' ? [effect.line] : []));

function finished(effects: EngineEffect[]): ExecutionProgress {
  const last = effects.at(-1);
  assert.equal(last?.type, 'finished', 'the last effect is finished');
  return last?.type === 'finished' ? last.execution : assert.fail('unreachable');
}

describe('applyEngineEvent', () => {
  it('marks the execution running when started', () => {
    const { state, effects } = feed(pending(), [started]);
    assert.equal(state.execution.status, 'running');
    assert.equal(state.execution.started_at, 10);
    const { metadata: _metadata, ...counters } = state.execution;
    assert.deepEqual(effects, [{ type: 'execution_changed', execution: counters }]);
  });

  it('logs plain output outside steps verbatim with a null step', () => {
    const { effects } = feed(pending(), [started, out('  indented  ', 11), out('', 12), err('oops\r', 13)]);
    assert.deepEqual(logs(effects), [
      { line: 1, ts: 11, stream: 'stdout', step_index: null, content: '  indented  ' },
      { line: 2, ts: 12, stream: 'stdout', step_index: null, content: '' },
      { line: 3, ts: 13, stream: 'stderr', step_index: null, content: 'oops\r' },
    ]);
  });

  it('keeps marker lines in the log, unchanged', () => {
    const marker = '\x1b[1mSTEP_START:Build[duration=3]\x1b[0m';
    const { effects } = feed(pending(), [started, out(marker)]);
    assert.equal(logs(effects)[0]?.content, marker);
  });

  it('never reads a continuation piece of an over-long line as a marker (injection by padding)', () => {
    for (const markerMode of ['line_start', 'anywhere'] as const) {
      const piece = (content: string): EngineEvent => ({
        type: 'line',
        at: 100,
        stream: 'stdout',
        content,
        continuation: true,
      });
      const { state, effects } = feed(createEngineState({ markerMode }), [
        started,
        out('STEP_START:Deploy[stop_on_error=true]'),
        piece('ARTIFACT:secrets.env:x'),
        piece('STEP_ERROR:injected'),
        piece('MASK:visible'),
        piece('META:k:v'),
        piece('STEP_START:Other'),
      ]);
      assert.deepEqual(
        state.steps.map((step) => [step.name, step.status]),
        [['Deploy', 'running']],
        markerMode,
      );
      assert.equal(state.stopping, null);
      assert.deepEqual(state.steps[0]?.metadata, { stop_on_error: true });
      assert.ok(!effects.some((effect) => effect.type === 'artifact' || effect.type === 'kill_process_group'));
      assert.deepEqual(
        logs(effects).map((line) => [line.line, line.content]),
        [
          [1, 'STEP_START:Deploy[stop_on_error=true]'],
          [2, 'ARTIFACT:secrets.env:x'],
          [3, 'STEP_ERROR:injected'],
          [4, 'MASK:visible'],
          [5, 'META:k:v'],
          [6, 'STEP_START:Other'],
        ],
      );
    }
  });

  it('numbers lines contiguously, warning lines included', () => {
    const { state, effects } = feed(pending(), [
      started,
      out('before'),
      out('STEP_START:A'),
      out('STEP_COMPLETE:B'),
      out('META:'),
      out('inside'),
      out('STEP_COMPLETE:A'),
      out('after'),
    ]);
    const lines = logs(effects);
    assert.deepEqual(
      lines.map((line) => line.line),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.deepEqual(
      lines.map((line) => line.step_index),
      [null, 0, 0, 0, 0, 0, 0, 0, null],
    );
    assert.equal(state.lastLine, 9);
    assert.equal(state.steps[0]?.last_line, 8);
  });

  it('lets the open step take exit code 0 and completes the run', () => {
    const { state, effects } = feed(pending(), [started, out('STEP_START:Build'), out('x'), exited(0)]);
    assert.equal(state.steps[0]?.status, 'completed');
    assert.equal(state.steps[0]?.exit_code, 0);
    assert.equal(state.steps[0]?.last_line, 2);
    const final = finished(effects);
    assert.equal(final.status, 'completed');
    assert.equal(final.exit_code, 0);
    assert.equal(final.completed_at, 900);
    assert.equal(final.current_step_index, null);
    assert.equal(final.completed_steps, 1);
    assert.deepEqual(
      effects.slice(-3).map((effect) => effect.type),
      ['step_changed', 'execution_changed', 'finished'],
    );
  });

  it('lets the open step take a non-zero exit code and fails the run', () => {
    const { state, effects } = feed(pending(), [started, out('STEP_START:Build'), exited(2)]);
    assert.equal(state.steps[0]?.status, 'failed');
    assert.equal(state.steps[0]?.exit_code, 2);
    assert.equal(state.steps[0]?.error_message, 'exited with code 2');
    assert.deepEqual([finished(effects).status, finished(effects).error_message], ['failed', 'exited with code 2']);
  });

  it('describes a death by signal and stores a null exit code', () => {
    const { state, effects } = feed(pending(), [started, out('STEP_START:Build'), exited(null, 'SIGKILL')]);
    assert.equal(state.steps[0]?.error_message, 'killed by SIGKILL');
    const final = finished(effects);
    assert.deepEqual([final.status, final.exit_code, final.error_message], ['failed', null, 'killed by SIGKILL']);
  });

  it('completes the run after a non-critical step failed, if the exit code is 0', () => {
    const { effects } = feed(pending(), [started, out('STEP_START:Lint'), out('STEP_ERROR:warnings'), exited(0)]);
    assert.equal(finished(effects).status, 'completed');
  });

  it('counts failed steps in failed_steps, as they fail and in the end (a completed run may have some)', () => {
    const lines = [
      out('STEP_START:Lint'),
      out('STEP_ERROR:warnings'),
      out('STEP_START:Test'),
      out('STEP_COMPLETE:Test'),
      out('STEP_START:Docs'),
      out('STEP_ERROR:'),
    ];
    const { effects } = feed(pending(), [started, ...lines]);
    const counts = effects.flatMap((effect) =>
      effect.type === 'execution_changed' ? [effect.execution.failed_steps] : [],
    );
    assert.deepEqual([counts.at(0), counts.at(-1)], [0, 2]);
    const final = finished(feed(pending(), [started, ...lines, exited(0)]).effects);
    assert.deepEqual([final.status, final.completed_steps, final.failed_steps], ['completed', 1, 2]);
  });

  it('fails the run naming a critical step that failed by STEP_ERROR', () => {
    const { effects } = feed(pending(), [
      started,
      out('STEP_START:Deploy --stop_on_error=true'),
      out('STEP_ERROR:denied'),
      exited(null, 'SIGTERM'),
    ]);
    const final = finished(effects);
    assert.deepEqual([final.status, final.error_message], ['failed', 'critical step "Deploy" failed: denied']);
  });

  it('fails the run naming a critical step that failed by its exit code', () => {
    const { effects } = feed(pending(), [started, out('STEP_START:Deploy{stop_on_error:true}'), exited(3)]);
    const final = finished(effects);
    assert.deepEqual(
      [final.status, final.error_message],
      ['failed', 'critical step "Deploy" failed: exited with code 3'],
    );
  });

  it('asks to kill the process group on cancel and ends the run cancelled', () => {
    let { state, effects } = feed(pending(), [started, out('STEP_START:Build'), { type: 'cancel_requested', at: 50 }]);
    assert.deepEqual(state.stopping, { reason: 'cancelled', message: 'cancelled by request' });
    assert.deepEqual(effects.at(-1), { type: 'kill_process_group', reason: 'cancelled' });
    ({ state, effects } = feed(state, [{ type: 'cancel_requested', at: 51 }, exited(0)]));
    assert.equal(
      effects.filter((effect) => effect.type === 'kill_process_group').length,
      0,
      'a second cancel asks nothing more',
    );
    assert.equal(state.steps[0]?.status, 'cancelled', 'the interrupted step did not fail on its own');
    assert.equal(state.steps[0]?.error_message, 'cancelled');
    const final = finished(effects);
    assert.deepEqual(
      [final.status, final.error_message, final.exit_code, final.failed_steps],
      ['cancelled', 'cancelled by request', 0, 0],
    );
  });

  it('ends a run cancelled before it started at once, without a kill', () => {
    const { state, effects } = feed(pending(), [{ type: 'cancel_requested', at: 5 }]);
    assert.equal(state.execution.status, 'cancelled');
    assert.deepEqual(
      effects.map((effect) => effect.type),
      ['execution_changed', 'finished'],
    );
    assert.equal(finished(effects).completed_at, 5);
  });

  it('kills on timeout and fails the run with the timeout message', () => {
    let { state, effects } = feed(pending(), [
      started,
      out('STEP_START:Slow'),
      { type: 'timed_out', at: 60, timeout_seconds: 30 },
    ]);
    assert.deepEqual(effects.at(-1), { type: 'kill_process_group', reason: 'timed_out' });
    ({ state, effects } = feed(state, [
      { type: 'cancel_requested', at: 61 },
      out('STEP_START:Ignored'),
      exited(null, 'SIGTERM'),
    ]));
    assert.deepEqual(state.stopping, { reason: 'timed_out', message: 'timed out after 30 s' }, 'the first reason wins');
    assert.equal(state.steps.length, 1);
    assert.deepEqual([state.steps[0]?.status, state.steps[0]?.error_message], ['failed', 'timed out after 30 s']);
    const final = finished(effects);
    assert.deepEqual([final.status, final.error_message], ['failed', 'timed out after 30 s']);
  });

  it('fails a run that could not start, with a system log line', () => {
    const { state, effects } = feed(pending(), [{ type: 'spawn_failed', at: 3, message: 'ENOENT: no such file' }]);
    assert.equal(state.execution.status, 'failed');
    assert.equal(state.execution.error_message, 'could not start: ENOENT: no such file');
    assert.deepEqual(logs(effects), [
      { line: 1, ts: 3, stream: 'system', step_index: null, content: 'could not start: ENOENT: no such file' },
    ]);
    assert.equal(finished(effects).completed_at, 3);
  });

  it('numbers a notice as the next system line of the open step', () => {
    const { effects } = feed(pending(), [
      started,
      out('STEP_START:Build'),
      { type: 'notice', at: 200, content: 'warning: x' },
      out('after'),
    ]);
    assert.deepEqual(
      logs(effects).map((line) => [line.line, line.stream, line.step_index, line.content]),
      [
        [1, 'stdout', 0, 'STEP_START:Build'],
        [2, 'system', 0, 'warning: x'],
        [3, 'stdout', 0, 'after'],
      ],
    );
  });

  it('ignores events after the execution finished', () => {
    const done = feed(pending(), [started, exited(0)]).state;
    for (const event of [out('late'), exited(1), { type: 'cancel_requested', at: 1 } as const, started]) {
      const transition = applyEngineEvent(done, event);
      assert.equal(transition.state, done);
      assert.deepEqual(transition.effects, []);
    }
  });

  it('shares no object with its effects, so what a host keeps does not change as the state moves on', () => {
    const first = feed(pending(), [started, out('META:team:ops'), out('STEP_START:Build[a=1]')]);
    const kept = structuredClone(first.effects);
    const { state, effects } = feed(first.state, [
      out('META:k:v'),
      out('STEP_COMPLETE:Build'),
      out('META:x:y'),
      exited(0),
    ]);
    assert.deepEqual(first.effects, kept);
    for (const effect of effects) {
      if (effect.type === 'step_changed')
        assert.notEqual(effect.step.metadata, state.steps[effect.step.index]?.metadata);
      if (effect.type === 'finished') assert.notEqual(effect.execution.metadata, state.execution.metadata);
    }
  });
});
