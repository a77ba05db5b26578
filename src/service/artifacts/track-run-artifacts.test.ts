// Tests trackRunArtifacts: order, retries at step end and at the end, warning lines, the count, abandoning and closing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionRecord } from '../../core/execution.js';
import {
  trackRunArtifacts,
  type ArtifactEffect,
  type ArtifactOutcome,
  type RunArtifactCollector,
} from './track-run-artifacts.js';

const record = { id: 7, working_directory: '/tmp' } as ExecutionRecord;
const quiet = { info() {}, warn() {}, error() {} };
const effect = (path: string, step_index: number | null = 0): ArtifactEffect => ({
  type: 'artifact',
  path,
  description: null,
  step_index,
  at: 1,
});

/** A collector around `collect` that counts its closes. */
function collectorOf(collect: RunArtifactCollector['collect']): RunArtifactCollector & { closes: number } {
  const collector = { closes: 0, collect, close: async () => void collector.closes++ };
  return collector;
}

/** A collector whose files "exist" once listed in `present`; refuses paths starting with '/'. */
function fakeHandler(present: Set<string>, calls: string[]) {
  return collectorOf(async (announced: ArtifactEffect): Promise<ArtifactOutcome> => {
    calls.push(announced.path);
    if (announced.path.startsWith('/')) return { status: 'refused', warning: `warning: ${announced.path} refused` };
    if (announced.path === 'boom') throw new Error('disk full');
    return present.has(announced.path) ? { status: 'recorded' } : { status: 'missing' };
  });
}

describe('trackRunArtifacts', () => {
  it('records in announcement order and counts what was recorded', async () => {
    const calls: string[] = [];
    const notes: string[] = [];
    const run = trackRunArtifacts(record, fakeHandler(new Set(['a', 'b']), calls), (line) => notes.push(line), quiet);
    run.announce(effect('a'), Promise.resolve());
    run.announce(effect('/etc/passwd'), Promise.resolve());
    run.announce(effect('b'), Promise.resolve());
    await run.settle();
    assert.deepEqual(calls, ['a', '/etc/passwd', 'b']);
    assert.deepEqual(notes, ['warning: /etc/passwd refused']);
    assert.equal(run.count, 2);
  });

  it('waits for the store writes queued before the announcement', async () => {
    const order: string[] = [];
    let release = (): void => {};
    const before = new Promise<void>((resolve) => (release = resolve)).then(() => void order.push('step saved'));
    const run = trackRunArtifacts(
      record,
      collectorOf(async () => (order.push('collected'), { status: 'recorded' })),
      () => {},
      quiet,
    );
    run.announce(effect('a'), before);
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await run.settle();
    assert.deepEqual(order, ['step saved', 'collected']);
  });

  it('retries a missing file when its step ends, and not for other steps', async () => {
    const present = new Set<string>();
    const calls: string[] = [];
    const run = trackRunArtifacts(record, fakeHandler(present, calls), () => {}, quiet);
    run.announce(effect('late', 0), Promise.resolve());
    run.stepEnded(1, Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(calls, ['late'], 'missing at first, and not retried for another step');
    present.add('late');
    run.stepEnded(0, Promise.resolve());
    await run.settle();
    assert.deepEqual(calls, ['late', 'late']);
    assert.equal(run.count, 1);
  });

  it('reports a file still missing at the end with a warning line', async () => {
    const notes: string[] = [];
    const run = trackRunArtifacts(record, fakeHandler(new Set(), []), (line) => notes.push(line), quiet);
    run.announce(effect('never.txt', null), Promise.resolve());
    await run.settle();
    assert.deepEqual(notes, ['warning: artifact "never.txt" is missing: nothing was there when the execution ended']);
    assert.equal(run.count, 0);
  });

  it('turns a failure to store into a warning line and goes on', async () => {
    const notes: string[] = [];
    const run = trackRunArtifacts(record, fakeHandler(new Set(['ok']), []), (line) => notes.push(line), quiet);
    run.announce(effect('boom'), Promise.resolve());
    run.announce(effect('ok'), Promise.resolve());
    await run.settle();
    assert.deepEqual(notes, ['warning: artifact "boom" could not be stored: disk full']);
    assert.equal(run.count, 1);
  });

  it('closes the collector once, after the last attempt, even when an attempt failed', async () => {
    const collector = fakeHandler(new Set(), []);
    const run = trackRunArtifacts(record, collector, () => {}, quiet);
    run.announce(effect('boom'), Promise.resolve());
    run.announce(effect('never.txt'), Promise.resolve());
    assert.equal(collector.closes, 0);
    await run.settle();
    assert.equal(collector.closes, 1);
  });

  it('abandons the collection under way and every later one, each with a warning line', async () => {
    const notes: string[] = [];
    let started = (): void => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    // Stands for a long copy: it ends only when its signal aborts, as the real copy and pack do.
    const collector = collectorOf(async (announced, signal) => {
      started();
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      const reason = signal.reason instanceof Error ? signal.reason.message : '';
      return { status: 'refused', warning: `warning: artifact "${announced.path}" was not kept: ${reason}` };
    });
    const run = trackRunArtifacts(record, collector, (line) => notes.push(line), quiet);
    run.announce(effect('huge'), Promise.resolve());
    run.announce(effect('next'), Promise.resolve());
    await running;
    run.abandon('the execution was deleted');
    await run.settle();
    assert.deepEqual(notes, [
      'warning: artifact "huge" was not kept: the execution was deleted',
      'warning: artifact "next" was not kept: the execution was deleted',
    ]);
    assert.equal(collector.closes, 1);
  });
});
