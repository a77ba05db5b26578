// Owns the store contract's step and log cases: step upserts, log appends and paged, filtered reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../core/log-line.js';
import type { Store } from './store.js';
import { logLines, newExecution, newStep, withStore, type OpenStore } from './store-contract-fixtures.js';

/**
 * An execution whose log is: lines 1-5 outside steps, 6-105 step 0, 106-110 outside, 111-160
 * step 1 (every 10th line on stderr), 161-165 outside (165 from `system`).
 */
async function seedStepLog(store: Store): Promise<{ id: number; all: LogLine[] }> {
  const { id } = await store.createExecution(newExecution(), 1);
  await store.saveStep(id, newStep(0, { first_line: 6, last_line: 105 }));
  await store.saveStep(id, newStep(1, { first_line: 111, last_line: 160 }));
  const all = [
    ...logLines(1, 5, null),
    ...logLines(6, 105, 0),
    ...logLines(106, 110, null),
    ...logLines(111, 160, 1).map((l) => (l.line % 10 === 0 ? { ...l, stream: 'stderr' as const } : l)),
    ...logLines(161, 164, null),
    ...logLines(165, 165, null, 'system'),
  ];
  await store.appendLogLines(id, all.slice(0, 120));
  await store.appendLogLines(id, all.slice(120));
  return { id, all };
}

/** Registers the step and log cases of the store contract. */
export function describeStepAndLogContract(open: OpenStore): void {
  describe('saveStep / listSteps', () => {
    it('inserts, then updates the step with the same index in place', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const first = await store.saveStep(
          id,
          newStep(0, { status: 'running', completed_at: null, exit_code: null, first_line: 1 }),
        );
        assert.ok(Number.isInteger(first.id));
        assert.equal(first.execution_id, id);
        const updated = newStep(0, {
          description: 'd',
          status: 'failed',
          exit_code: 3,
          error_message: 'no',
          estimated_duration: 1.5,
          stop_on_error: false,
          metadata: { k: ['v'] },
          first_line: 1,
          last_line: 9,
        });
        const second = await store.saveStep(id, updated);
        assert.deepEqual(second, { ...updated, id: first.id, execution_id: id, parent_id: null });
        assert.deepEqual(await store.listSteps(id), [second]);
      }));

    it('stores a step a cancel interrupted as cancelled', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const saved = await store.saveStep(id, newStep(0, { status: 'cancelled', error_message: 'cancelled' }));
        assert.equal(saved.status, 'cancelled');
        assert.deepEqual(
          (await store.listSteps(id)).map((step) => [step.status, step.error_message]),
          [['cancelled', 'cancelled']],
        );
      }));

    it('links a nested step to its parent row by parent_id, and keeps depth, folding and progress', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const parent = await store.saveStep(id, newStep(0, { status: 'running', collapsed: true }));
        const child = await store.saveStep(
          id,
          newStep(1, { parent_index: 0, depth: 1, progress: 42.5, progress_message: 'Compiling' }),
        );
        assert.equal(child.parent_id, parent.id);
        assert.equal(parent.parent_id, null);
        const [storedParent, storedChild] = await store.listSteps(id);
        assert.equal(storedParent?.collapsed, true);
        assert.deepEqual(
          [storedChild?.parent_id, storedChild?.depth, storedChild?.progress, storedChild?.progress_message],
          [parent.id, 1, 42.5, 'Compiling'],
        );
      }));

    it("lists an execution's steps by index, whatever the save order", () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const other = await store.createExecution(newExecution(), 2);
        for (const index of [2, 0, 1]) await store.saveStep(id, newStep(index));
        await store.saveStep(other.id, newStep(0));
        assert.deepEqual(
          (await store.listSteps(id)).map((s) => s.index),
          [0, 1, 2],
        );
        assert.deepEqual(await store.listSteps(9_999), []);
      }));
  });

  describe('appendLogLines / readLogLines / lastLogLine', () => {
    it('stores lines exactly and pages them by offset and limit', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const lines = logLines(1, 250, null).map((l, i) =>
          i === 7 ? { ...l, content: '' } : i === 8 ? { ...l, content: 'ünï 🚀\ttab' } : l,
        );
        await store.appendLogLines(id, lines.slice(0, 237));
        await store.appendLogLines(id, lines.slice(237));
        await store.appendLogLines(id, []);
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 1_000 }), { lines, total: 250 });
        assert.deepEqual(await store.readLogLines(id, { offset: 95, limit: 10 }), {
          lines: lines.slice(95, 105),
          total: 250,
        });
        assert.deepEqual(await store.readLogLines(id, { offset: 250, limit: 10 }), { lines: [], total: 250 });
        assert.equal(await store.lastLogLine(id), 250);
      }));

    it('stores every character a script can print exactly, in and out of steps and on both streams', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const contents = [
          'tab\there',
          'back\\slash and trailing \\',
          '\\N',
          '\\.',
          'carriage\rreturn and new\nline inside',
          'nul\0inside',
          '\0',
          'controls \x01\x1b[31mred\x1b[0m\x7f',
          'ünï 🚀 中文 \u{10FFFF}',
          '"quotes", {braces}, NULL',
          'NULL',
          '',
          ' \\t literal escapes \\n ',
        ];
        const lines = contents.map((content, i) => ({
          line: i + 1,
          ts: 1_700_000_000_000 + i,
          stream: i % 2 === 0 ? ('stdout' as const) : ('stderr' as const),
          step_index: i % 3 === 0 ? null : 0,
          content,
        }));
        await store.appendLogLines(id, lines);
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 100 }), { lines, total: lines.length });
        const stderr = lines.filter((l) => l.stream === 'stderr');
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 100, stream: 'stderr' }), {
          lines: stderr,
          total: stderr.length,
        });
      }));

    it("keeps executions' logs apart and reports 0 as the last line of an empty log", () =>
      withStore(open, async (store) => {
        const a = await store.createExecution(newExecution(), 1);
        const b = await store.createExecution(newExecution(), 2);
        await store.appendLogLines(a.id, logLines(1, 3, null));
        assert.equal(await store.lastLogLine(b.id), 0);
        assert.deepEqual(await store.readLogLines(b.id, { offset: 0, limit: 10 }), { lines: [], total: 0 });
      }));

    it("reads one step's lines by index", () =>
      withStore(open, async (store) => {
        const { id, all } = await seedStepLog(store);
        assert.deepEqual(await store.readLogLines(id, { offset: 10, limit: 5, step_index: 0 }), {
          lines: all.slice(15, 20),
          total: 100,
        });
        const step1 = await store.readLogLines(id, { offset: 0, limit: 100, step_index: 1 });
        assert.deepEqual([step1.total, step1.lines[0]?.line, step1.lines.at(-1)?.line], [50, 111, 160]);
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 10, step_index: 7 }), {
          lines: [],
          total: 0,
        });
      }));

    it('reads lines outside every step with step_index null', () =>
      withStore(open, async (store) => {
        const { id } = await seedStepLog(store);
        const outside = await store.readLogLines(id, { offset: 0, limit: 100, step_index: null });
        assert.equal(outside.total, 15);
        assert.deepEqual(
          outside.lines.map((l) => l.line),
          [1, 2, 3, 4, 5, 106, 107, 108, 109, 110, 161, 162, 163, 164, 165],
        );
        const page = await store.readLogLines(id, { offset: 4, limit: 3, step_index: null });
        assert.deepEqual([page.total, page.lines.map((l) => l.line)], [15, [5, 106, 107]]);
      }));

    it('filters by stream, alone and with a step', () =>
      withStore(open, async (store) => {
        const { id, all } = await seedStepLog(store);
        const stderr = all.filter((l) => l.stream === 'stderr');
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 100, stream: 'stderr' }), {
          lines: stderr,
          total: 5,
        });
        assert.deepEqual(await store.readLogLines(id, { offset: 1, limit: 2, stream: 'stderr', step_index: 1 }), {
          lines: stderr.slice(1, 3),
          total: 5,
        });
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 10, stream: 'stderr', step_index: 0 }), {
          lines: [],
          total: 0,
        });
        const system = await store.readLogLines(id, { offset: 0, limit: 10, stream: 'system', step_index: null });
        assert.deepEqual(system, { lines: all.slice(164), total: 1 });
      }));

    it("finds a running step's lines even when its saved last_line lags behind", () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        await store.saveStep(id, newStep(0, { status: 'running', completed_at: null, first_line: 2, last_line: 2 }));
        await store.appendLogLines(id, [...logLines(1, 1, null), ...logLines(2, 40, 0)]);
        const page = await store.readLogLines(id, { offset: 0, limit: 100, step_index: 0 });
        assert.deepEqual([page.total, page.lines.length, page.lines.at(-1)?.line], [39, 39, 40]);
      }));
  });
}
