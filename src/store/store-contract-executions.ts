// Owns the store contract's execution cases: create/get round-trips, patches, deletion and statistics.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionStatus } from '../core/execution.js';
import type { Store } from './store.js';
import { logLines, newArtifact, newExecution, newStep, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Registers the execution record cases of the store contract. */
export function describeExecutionContract(open: OpenStore): void {
  describe('createExecution / getExecution', () => {
    it('returns a pending record with zero counters and null run fields', () =>
      withStore(open, async (store) => {
        const created = await store.createExecution(newExecution(), 1_234);
        assert.ok(Number.isInteger(created.id) && created.id > 0);
        assert.equal(created.status, 'pending');
        assert.equal(created.created_at, 1_234);
        assert.deepEqual(
          [
            created.exit_code,
            created.error_message,
            created.started_at,
            created.completed_at,
            created.current_step_index,
            created.pid,
          ],
          [null, null, null, null, null, null],
        );
        assert.equal(created.total_steps, 0);
        assert.equal(created.completed_steps, 0);
        assert.deepEqual([created.failed_steps, created.host], [0, null]);
        assert.deepEqual(await store.getExecution(created.id), created);
      }));

    it('round-trips string and array commands, environment, tags, metadata, user and timeout', () =>
      withStore(open, async (store) => {
        const asString = newExecution({ command: 'echo "a b" | wc -c', user: 'alice', timeout_seconds: 90 });
        const asArray = newExecution({
          command: ['python3', '-c', 'print("hi")'],
          environment: { FOO: 'bar', EMPTY: '' },
          tags: ['nightly', 'ünïcode'],
          metadata: { nested: { list: [1, 'two', null], flag: true } },
          markers: ['stepflow', 'tap'],
        });
        for (const input of [asString, asArray]) {
          const created = await store.createExecution(input, 10);
          const { id: _id, ...stored } = (await store.getExecution(created.id)) ?? assert.fail('missing');
          assert.deepEqual(
            { ...stored },
            {
              ...input,
              status: 'pending',
              exit_code: null,
              error_message: null,
              created_at: 10,
              started_at: null,
              completed_at: null,
              total_steps: 0,
              completed_steps: 0,
              current_step_index: null,
              failed_steps: 0,
              host: null,
              pid: null,
              agent: null,
              annotation_counts: { error: 0, warning: 0, notice: 0 },
            },
          );
        }
      }));

    it('keeps the labels an execution asks for and the agent that holds it', () =>
      withStore(open, async (store) => {
        const created = await store.createExecution(newExecution({ runs_on: ['linux', 'gpu'] }), 10);
        assert.deepEqual([created.runs_on, created.agent], [['linux', 'gpu'], null]);
        await store.updateExecution(created.id, { agent: 'gpu-box' });
        const held = await store.getExecution(created.id);
        assert.deepEqual([held?.runs_on, held?.agent], [['linux', 'gpu'], 'gpu-box']);
        const page = await store.listExecutions({ limit: 10, offset: 0 });
        assert.deepEqual(
          page.executions.map((record) => [record.runs_on, record.agent]),
          [[['linux', 'gpu'], 'gpu-box']],
        );
      }));

    it('returns null for an unknown id', () =>
      withStore(open, async (store) => {
        assert.equal(await store.getExecution(987_654), null);
      }));

    it('never reuses the id of a deleted execution', () =>
      withStore(open, async (store) => {
        await store.createExecution(newExecution(), 1);
        const second = await store.createExecution(newExecution(), 2);
        assert.equal(await store.deleteExecution(second.id), true);
        const third = await store.createExecution(newExecution(), 3);
        assert.ok(third.id > second.id);
      }));
  });

  describe('updateExecution', () => {
    it('applies only the patched fields, including setting them back to null', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution({ metadata: { a: 1 } }), 1);
        await store.updateExecution(id, {
          status: 'running',
          started_at: 100,
          pid: 4321,
          total_steps: 3,
          current_step_index: 0,
        });
        await store.updateExecution(id, { metadata: { a: 2, b: [true] }, completed_steps: 1 });
        let record = (await store.getExecution(id)) ?? assert.fail('missing');
        assert.deepEqual(
          [
            record.status,
            record.started_at,
            record.pid,
            record.total_steps,
            record.completed_steps,
            record.current_step_index,
          ],
          ['running', 100, 4321, 3, 1, 0],
        );
        assert.deepEqual(record.metadata, { a: 2, b: [true] });
        assert.equal(record.name, 'build');
        await store.updateExecution(id, {
          status: 'failed',
          exit_code: 2,
          error_message: 'boom',
          completed_at: 300,
          pid: null,
          current_step_index: null,
        });
        record = (await store.getExecution(id)) ?? assert.fail('missing');
        assert.deepEqual(
          [
            record.status,
            record.exit_code,
            record.error_message,
            record.completed_at,
            record.pid,
            record.current_step_index,
          ],
          ['failed', 2, 'boom', 300, null, null],
        );
      }));
  });

  describe('failed_steps and host', () => {
    it('stores both with the execution and returns them from get, the unfiltered list and a filtered list', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution({ tags: ['story'] }), 1);
        await store.updateExecution(id, { status: 'running', started_at: 2, host: 'build-01.example' });
        await store.updateExecution(id, { status: 'completed', completed_at: 3, failed_steps: 2 });
        const expected = [id, 2, 'build-01.example'];
        const pick = (
          record: { id: number; failed_steps: number; host: string | null } | undefined | null,
        ): unknown[] => [record?.id, record?.failed_steps, record?.host];
        assert.deepEqual(pick(await store.getExecution(id)), expected);
        assert.deepEqual(pick((await store.listExecutions({ limit: 10, offset: 0 })).executions[0]), expected);
        assert.deepEqual(
          pick((await store.listExecutions({ limit: 10, offset: 0, tag: 'story' })).executions[0]),
          expected,
        );
        assert.deepEqual(pick((await store.listExecutionsByStatus(['completed']))[0]), expected);
      }));
  });

  describe('deleteExecution', () => {
    it('removes the execution with its steps, log lines, tags and artifacts', () =>
      withStore(open, async (store) => {
        const kept = await store.createExecution(newExecution({ tags: ['t'] }), 1);
        const gone = await store.createExecution(newExecution({ tags: ['t'] }), 2);
        for (const { id } of [kept, gone]) {
          const step = await store.saveStep(id, newStep(0, { first_line: 1, last_line: 150 }));
          await store.appendLogLines(id, logLines(1, 150, 0));
          await store.createArtifact(newArtifact(id, { step_id: step.id }));
        }
        assert.equal(await store.deleteExecution(gone.id), true);
        assert.equal(await store.getExecution(gone.id), null);
        assert.deepEqual(await store.listSteps(gone.id), []);
        assert.equal(await store.lastLogLine(gone.id), 0);
        assert.deepEqual(await store.readLogLines(gone.id, { offset: 0, limit: 10 }), { lines: [], total: 0 });
        assert.equal((await store.listArtifacts({ limit: 10, offset: 0, execution_id: gone.id })).total_count, 0);
        assert.deepEqual(
          (await store.listExecutions({ limit: 10, offset: 0, tag: 't' })).executions.map((e) => e.id),
          [kept.id],
        );
        assert.equal(await store.lastLogLine(kept.id), 150);
        assert.equal((await store.listSteps(kept.id)).length, 1);
      }));

    it('returns false for an unknown id', () =>
      withStore(open, async (store) => {
        assert.equal(await store.deleteExecution(424_242), false);
      }));
  });

  describe('statistics', () => {
    it('reports zeros for an empty store', () =>
      withStore(open, async (store) => {
        assert.deepEqual(await store.statistics(), {
          total_executions: 0,
          by_status: { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
          active_now: 0,
          success_rate: 0,
          avg_duration: 0,
        });
      }));

    it('counts every row, not only the newest 1,000', () =>
      withStore(open, async (store) => {
        // The oldest rows are the failed and cancelled ones, so a "last 1,000" bug changes every figure.
        await seed(store, 50, 'failed', 4_000);
        await seed(store, 30, 'cancelled', null);
        await seed(store, 1_000, 'completed', 1_000);
        await seed(store, 15, 'running', null);
        await seed(store, 5, 'pending', null);
        const stats = await store.statistics();
        assert.equal(stats.total_executions, 1_100);
        assert.deepEqual(stats.by_status, { pending: 5, running: 15, completed: 1_000, failed: 50, cancelled: 30 });
        assert.equal(stats.active_now, 20);
        assert.equal(stats.success_rate, 92.59);
        assert.ok(Math.abs(stats.avg_duration - 1_200 / 1_050) < 1e-9, `avg_duration ${stats.avg_duration}`);
      }));
  });
}

/** Creates `count` executions in `status`; finished ones get `durationMs` when it is not null. */
async function seed(store: Store, count: number, status: ExecutionStatus, durationMs: number | null): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { id } = await store.createExecution(newExecution({ name: `${status} ${i}` }), 1_000 + i);
    if (status === 'pending') continue;
    const started = durationMs === null && status !== 'running' ? null : 10_000;
    const completed = durationMs === null ? null : 10_000 + durationMs;
    await store.updateExecution(id, { status, started_at: started, completed_at: completed });
  }
}
