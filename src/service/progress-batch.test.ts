// Tests ProgressBatch: counters and META keys applied in memory, handed over once per flush.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionRecord } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import type { ExecutionCounters } from '../engine/engine-types.js';
import { ProgressBatch, type ProgressFlush } from './progress-batch.js';

const record = (): ExecutionRecord => ({
  id: 1,
  name: 'x',
  command: 'true',
  working_directory: '/',
  environment: {},
  tags: [],
  metadata: { from: 'request' },
  user: null,
  timeout_seconds: null,
  status: 'running',
  exit_code: null,
  error_message: null,
  created_at: 1,
  started_at: 2,
  completed_at: null,
  total_steps: 0,
  completed_steps: 0,
  current_step_index: null,
  failed_steps: 0,
  host: 'h',
  pid: 9,
  runs_on: [],
  agent: null,
});
const counters = (completed: number): ExecutionCounters => ({
  status: 'running',
  exit_code: null,
  error_message: null,
  started_at: 2,
  completed_at: null,
  total_steps: completed + 1,
  completed_steps: completed,
  failed_steps: 0,
  current_step_index: completed,
});
const step = (index: number, status: StepState['status'] = 'running'): StepState => ({
  index,
  name: `S${index}`,
  description: null,
  status,
  exit_code: null,
  error_message: null,
  created_at: 1,
  started_at: 1,
  completed_at: null,
  estimated_duration: null,
  stop_on_error: false,
  metadata: {},
  first_line: 1,
  last_line: 1,
  parent_index: null,
  depth: 0,
  collapsed: false,
  progress: null,
  progress_message: null,
  close_line: null,
});
const HOUR = 3_600_000;

function batch(): { progress: ProgressBatch; own: ExecutionRecord; writes: ProgressFlush[] } {
  const writes: ProgressFlush[] = [];
  const own = record();
  return { progress: new ProgressBatch(own, HOUR, (flush) => writes.push(flush)), own, writes };
}

describe('ProgressBatch', () => {
  it('hands over many counters and META keys as one write with the latest of each', () => {
    const { progress, own, writes } = batch();
    for (let i = 0; i < 1_000; i++) {
      progress.executionChanged(counters(i));
      progress.metadataChanged({ type: 'metadata_changed', step_index: null, key: `k${i % 10}`, value: i });
    }
    assert.equal(writes.length, 0, 'nothing is written before the flush');
    progress.flush();
    assert.equal(writes.length, 1);
    assert.equal(writes[0]?.execution?.completed_steps, 999);
    assert.deepEqual(writes[0]?.execution?.metadata, {
      from: 'request',
      k0: 990,
      k1: 991,
      k2: 992,
      k3: 993,
      k4: 994,
      k5: 995,
      k6: 996,
      k7: 997,
      k8: 998,
      k9: 999,
    });
    assert.equal(own.completed_steps, 999, 'the record is kept current in memory');
    assert.equal(writes[0]?.step, null);
    progress.close();
    assert.equal(writes.length, 1, 'an empty flush writes nothing');
  });

  it('applies META keys to the open step and writes it, until a step_changed carries them', () => {
    const { progress, writes } = batch();
    progress.stepChanged(step(0));
    progress.metadataChanged({ type: 'metadata_changed', step_index: 0, key: 'a', value: 1 });
    progress.flush();
    assert.deepEqual(writes[0]?.step?.metadata, { a: 1 });
    progress.metadataChanged({ type: 'metadata_changed', step_index: 0, key: 'b', value: 2 });
    progress.stepChanged({ ...step(0, 'completed'), metadata: { a: 1, b: 2 } });
    progress.metadataChanged({ type: 'metadata_changed', step_index: 0, key: 'late', value: 3 });
    progress.close();
    assert.equal(
      writes.length,
      1,
      'the closed step was written by its own step_changed; a key for a step no longer open is dropped',
    );
  });

  it('writes once per interval on its own, and nothing after close', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const writes: ProgressFlush[] = [];
    const progress = new ProgressBatch(record(), 50, (flush) => writes.push(flush));
    progress.executionChanged(counters(1));
    progress.executionChanged(counters(2));
    t.mock.timers.tick(49);
    assert.equal(writes.length, 0);
    t.mock.timers.tick(1);
    assert.deepEqual(
      writes.map((write) => write.execution?.completed_steps),
      [2],
    );
    progress.executionChanged(counters(3));
    progress.close();
    assert.deepEqual(
      writes.map((write) => write.execution?.completed_steps),
      [2, 3],
      'close writes what is pending',
    );
    progress.executionChanged(counters(4));
    t.mock.timers.tick(1_000);
    assert.equal(writes.length, 2);
  });

  it('keeps a META key named __proto__ as data', () => {
    const { progress, own } = batch();
    progress.metadataChanged({ type: 'metadata_changed', step_index: null, key: '__proto__', value: 'x' });
    assert.equal(Object.getPrototypeOf(own.metadata), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(own.metadata, '__proto__')?.value, 'x');
    progress.close();
  });
});
