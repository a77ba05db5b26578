// Owns the store contract's listing cases: order, pagination, totals and every execution filter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionFilter, Store } from './store.js';
import { newExecution, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Creates six varied executions (created_at 100..600) and returns their ids in creation order. */
async function seedSix(store: Store): Promise<number[]> {
  const inputs = [
    newExecution({ name: 'Deploy prod', command: 'deploy.sh --prod', user: 'alice', tags: ['deploy', 'prod'] }),
    newExecution({ name: 'nightly 100% run', command: ['make', 'test'], user: 'bob', tags: ['nightly'] }),
    newExecution({ name: 'nightly 1000 run', command: 'make bench', user: 'alice', tags: ['nightly', 'nightly'] }),
    newExecution({ name: 'a_b job', command: 'true', user: null }),
    newExecution({ name: 'axb job', command: ['FIND_ME', '--flag'], user: 'carol', tags: ['deploy'] }),
    newExecution({ name: 'cleanup', command: 'rm -rf /tmp/x', user: 'bob' }),
  ];
  const ids: number[] = [];
  for (const [i, input] of inputs.entries()) ids.push((await store.createExecution(input, (i + 1) * 100)).id);
  return ids;
}

/** The ids a filter returns (first page of 100) and its total. */
async function idsOf(store: Store, filter: Partial<ExecutionFilter>): Promise<{ ids: number[]; total: number }> {
  const page = await store.listExecutions({ limit: 100, offset: 0, ...filter });
  return { ids: page.executions.map((e) => e.id), total: page.total_count };
}

/** Registers the listing cases of the store contract. */
export function describeListContract(open: OpenStore): void {
  describe('listExecutions', () => {
    it('lists newest first and pages with an exact total', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        const newestFirst = [...ids].reverse();
        assert.deepEqual(await idsOf(store, {}), { ids: newestFirst, total: 6 });
        const pages: number[] = [];
        for (let offset = 0; offset < 6; offset += 4) {
          const page = await store.listExecutions({ limit: 4, offset });
          assert.equal(page.total_count, 6);
          pages.push(...page.executions.map((e) => e.id));
        }
        assert.deepEqual(pages, newestFirst);
        assert.deepEqual(await store.listExecutions({ limit: 4, offset: 10 }), { executions: [], total_count: 6 });
      }));

    it('sorts by name, user, status and duration in either direction, ties newest first', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        const id = (i: number) => ids[i] as number;
        const byName = await idsOf(store, { sort: 'name', order: 'asc' });
        assert.deepEqual(
          byName.ids,
          [id(3), id(4), id(5), id(0), id(1), id(2)],
          'a_b, axb, cleanup, Deploy, nightly 100%, nightly 1000 (case-insensitive)',
        );
        assert.deepEqual((await idsOf(store, { sort: 'name', order: 'desc' })).ids, [...byName.ids].reverse());
        assert.deepEqual(
          (await idsOf(store, { sort: 'user', order: 'asc' })).ids,
          [id(2), id(0), id(5), id(1), id(4), id(3)],
          'alice, bob, carol, then no user; ties newest first',
        );
        await store.updateExecution(id(0), { status: 'failed', started_at: 1000, completed_at: 9000 });
        await store.updateExecution(id(1), { status: 'completed', started_at: 1000, completed_at: 2000 });
        await store.updateExecution(id(2), { status: 'completed', started_at: 1000, completed_at: 5000 });
        assert.deepEqual((await idsOf(store, { sort: 'duration', order: 'desc' })).ids.slice(0, 3), [
          id(0),
          id(2),
          id(1),
        ]);
        assert.deepEqual(
          (await idsOf(store, { sort: 'duration', order: 'asc' })).ids.slice(0, 3),
          [id(1), id(2), id(0)],
          'unfinished runs sort last',
        );
        assert.deepEqual(
          (await idsOf(store, { sort: 'status', order: 'asc' })).ids.slice(0, 3),
          [id(2), id(1), id(0)],
          'completed before failed before pending',
        );
        assert.deepEqual((await idsOf(store, { sort: 'created_at', order: 'asc' })).ids, ids);
        const page = await store.listExecutions({ limit: 2, offset: 2, sort: 'name', order: 'asc' });
        assert.deepEqual(
          page.executions.map((e) => e.id),
          byName.ids.slice(2, 4),
          'sorting happens before paging',
        );
      }));

    it('keeps the unfiltered total exact across creates and deletes after it was first counted', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        assert.equal((await store.listExecutions({ limit: 1, offset: 0 })).total_count, 6);
        await store.createExecution(newExecution({ name: 'late' }), 700);
        assert.equal((await store.listExecutions({ limit: 1, offset: 0 })).total_count, 7);
        await store.deleteExecution(ids[0] as number);
        await store.deleteExecution(ids[0] as number);
        assert.equal(
          (await store.listExecutions({ limit: 1, offset: 0 })).total_count,
          6,
          'a second delete of the same id changes nothing',
        );
      }));

    it('filters by status and user', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        await store.updateExecution(ids[1] as number, { status: 'running' });
        await store.updateExecution(ids[4] as number, { status: 'running' });
        assert.deepEqual(await idsOf(store, { status: 'running' }), { ids: [ids[4], ids[1]], total: 2 });
        assert.deepEqual(await idsOf(store, { status: 'failed' }), { ids: [], total: 0 });
        assert.deepEqual(await idsOf(store, { user: 'alice' }), { ids: [ids[2], ids[0]], total: 2 });
        assert.deepEqual(await idsOf(store, { user: 'bob', status: 'running' }), { ids: [ids[1]], total: 1 });
      }));

    it('searches name and command case-insensitively', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        assert.deepEqual(await idsOf(store, { q: 'DEPLOY' }), { ids: [ids[0]], total: 1 });
        assert.deepEqual(await idsOf(store, { q: 'make test' }), { ids: [ids[1]], total: 1 });
        assert.deepEqual(await idsOf(store, { q: 'find_me --FLAG' }), { ids: [ids[4]], total: 1 });
        assert.deepEqual(await idsOf(store, { q: 'nightly' }), { ids: [ids[2], ids[1]], total: 2 });
      }));

    it('treats % and _ in the search text literally', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        assert.deepEqual(await idsOf(store, { q: '0%' }), { ids: [ids[1]], total: 1 });
        assert.deepEqual(await idsOf(store, { q: 'a_b' }), { ids: [ids[3]], total: 1 });
        assert.deepEqual(await idsOf(store, { q: '%' }), { ids: [ids[1]], total: 1 });
      }));

    it('filters by tag, listing an execution once even with a repeated tag', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        assert.deepEqual(await idsOf(store, { tag: 'nightly' }), { ids: [ids[2], ids[1]], total: 2 });
        assert.deepEqual(await idsOf(store, { tag: 'deploy' }), { ids: [ids[4], ids[0]], total: 2 });
        assert.deepEqual(await idsOf(store, { tag: 'deploy', user: 'carol' }), { ids: [ids[4]], total: 1 });
        assert.deepEqual(await idsOf(store, { tag: 'none' }), { ids: [], total: 0 });
      }));

    it('filters by created_after (inclusive) and created_before (exclusive)', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        assert.deepEqual(await idsOf(store, { created_after: 400 }), { ids: [ids[5], ids[4], ids[3]], total: 3 });
        assert.deepEqual(await idsOf(store, { created_before: 300 }), { ids: [ids[1], ids[0]], total: 2 });
        assert.deepEqual(await idsOf(store, { created_after: 200, created_before: 400, limit: 1 }), {
          ids: [ids[2]],
          total: 2,
        });
      }));
  });

  describe('listExecutionsByStatus', () => {
    it('returns executions in the given statuses, oldest first', () =>
      withStore(open, async (store) => {
        const ids = await seedSix(store);
        await store.updateExecution(ids[3] as number, { status: 'running' });
        await store.updateExecution(ids[0] as number, { status: 'completed' });
        await store.updateExecution(ids[5] as number, { status: 'failed' });
        const active = await store.listExecutionsByStatus(['pending', 'running']);
        assert.deepEqual(
          active.map((e) => e.id),
          [ids[1], ids[2], ids[3], ids[4]],
        );
        assert.deepEqual(
          (await store.listExecutionsByStatus(['failed'])).map((e) => e.status),
          ['failed'],
        );
        assert.deepEqual(await store.listExecutionsByStatus([]), []);
      }));
  });
}
