// Owns the store contract's retention cases: which finished executions retention may delete, and log deletes by range.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionStatus } from '../core/execution.js';
import type { Store } from './store.js';
import { logLines, newExecution, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Creates an execution in `status`; finished ones end at `completedAt`. */
async function seedExecution(store: Store, status: ExecutionStatus, completedAt: number | null): Promise<number> {
  const { id } = await store.createExecution(newExecution(), 1_000);
  if (status !== 'pending') await store.updateExecution(id, { status, started_at: 1_000, completed_at: completedAt });
  return id;
}

/** Registers the retention cases of the store contract. */
export function describeRetentionContract(open: OpenStore): void {
  describe('listRetentionCandidates', () => {
    it('lists finished executions completed before the cut-off, oldest first, never running or pending ones', () =>
      withStore(open, async (store) => {
        const old = [
          await seedExecution(store, 'completed', 2_000),
          await seedExecution(store, 'failed', 3_000),
          await seedExecution(store, 'cancelled', 4_000),
        ];
        await seedExecution(store, 'running', null);
        await seedExecution(store, 'pending', null);
        await seedExecution(store, 'completed', 9_000);
        const rule = { finishedBefore: 5_000, keepNewest: null, limit: 100 };
        assert.deepEqual(await store.listRetentionCandidates(rule), old);
        assert.deepEqual(
          await store.listRetentionCandidates({ ...rule, limit: 2 }),
          old.slice(0, 2),
          'limit keeps the oldest',
        );
      }));

    it('lists finished executions beyond the newest N, counting running ones among the kept', () =>
      withStore(open, async (store) => {
        const ids = [
          await seedExecution(store, 'completed', 2_000),
          await seedExecution(store, 'running', null),
          await seedExecution(store, 'failed', 3_000),
          await seedExecution(store, 'completed', 4_000),
          await seedExecution(store, 'completed', 5_000),
        ];
        const rule = { finishedBefore: null, keepNewest: 2, limit: 100 };
        assert.deepEqual(
          await store.listRetentionCandidates(rule),
          [ids[0], ids[2]],
          'the running one is never a candidate',
        );
        assert.deepEqual(await store.listRetentionCandidates({ ...rule, keepNewest: 5 }), []);
        assert.deepEqual(await store.listRetentionCandidates({ ...rule, keepNewest: 50 }), []);
      }));

    it('takes either rule when both are set, and nothing when neither is', () =>
      withStore(open, async (store) => {
        const ids = [
          await seedExecution(store, 'completed', 9_000),
          await seedExecution(store, 'completed', 1_500),
          await seedExecution(store, 'completed', 9_000),
        ];
        assert.deepEqual(await store.listRetentionCandidates({ finishedBefore: 2_000, keepNewest: 2, limit: 100 }), [
          ids[0],
          ids[1],
        ]);
        assert.deepEqual(
          await store.listRetentionCandidates({ finishedBefore: null, keepNewest: null, limit: 100 }),
          [],
        );
      }));
  });

  describe('deleteLogLines', () => {
    it("deletes one execution's lines up to a number and leaves the rest and other executions alone", () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const other = await store.createExecution(newExecution(), 2);
        await store.appendLogLines(id, logLines(1, 50, null));
        await store.appendLogLines(other.id, logLines(1, 50, null));
        assert.equal(await store.deleteLogLines(id, 20), 20);
        assert.equal(await store.deleteLogLines(id, 20), 0, 'a repeated delete finds nothing');
        const left = await store.readLogLines(id, { offset: 0, limit: 100 });
        assert.deepEqual(
          left.lines.map((line) => line.line),
          Array.from({ length: 30 }, (_, i) => i + 21),
        );
        assert.equal(await store.lastLogLine(id), 50);
        assert.equal(await store.deleteLogLines(id, 1_000), 30);
        assert.equal(await store.lastLogLine(id), 0);
        assert.equal((await store.readLogLines(other.id, { offset: 0, limit: 100 })).lines.length, 50);
        assert.equal(await store.deleteLogLines(9_999, 10), 0, 'an unknown execution has no lines');
      }));
  });
}
