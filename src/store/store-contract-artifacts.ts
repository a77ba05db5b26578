// Owns the store contract's artifact and database-level cases: artifact CRUD and filters, ping, figures, optimize.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLines, newArtifact, newExecution, newStep, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Registers the artifact and maintenance cases of the store contract. */
export function describeArtifactContract(open: OpenStore): void {
  describe('artifacts', () => {
    it('creates, reads and deletes an artifact with every field intact', () =>
      withStore(open, async (store) => {
        const { id } = await store.createExecution(newExecution(), 1);
        const step = await store.saveStep(id, newStep(0));
        const input = newArtifact(id, {
          step_id: step.id,
          description: 'coverage',
          tags: ['ci', 'html'],
          is_public: true,
          retention_days: 30,
          artifact_type: 'archive',
          mime_type: 'application/gzip',
          file_size: 123_456_789,
        });
        const created = await store.createArtifact(input);
        assert.ok(Number.isInteger(created.id));
        assert.deepEqual(created, { ...input, id: created.id });
        assert.deepEqual(await store.getArtifact(created.id), created);
        assert.equal(await store.deleteArtifact(created.id), true);
        assert.equal(await store.getArtifact(created.id), null);
        assert.equal(await store.deleteArtifact(created.id), false);
      }));

    it('lists newest first, filtered by execution, step and type, with totals', () =>
      withStore(open, async (store) => {
        const a = await store.createExecution(newExecution(), 1);
        const b = await store.createExecution(newExecution(), 2);
        const step = await store.saveStep(a.id, newStep(0));
        const ids: number[] = [];
        for (const input of [
          newArtifact(a.id, { artifact_type: 'image', step_id: step.id }),
          newArtifact(a.id, { artifact_type: 'log' }),
          newArtifact(b.id, { artifact_type: 'image' }),
          newArtifact(a.id, { artifact_type: 'image' }),
        ])
          ids.push((await store.createArtifact(input)).id);
        const list = async (filter: object) => {
          const page = await store.listArtifacts({ limit: 100, offset: 0, ...filter });
          return { ids: page.artifacts.map((x) => x.id), total: page.total_count };
        };
        assert.deepEqual(await list({}), { ids: [...ids].reverse(), total: 4 });
        assert.deepEqual(await list({ execution_id: a.id }), { ids: [ids[3], ids[1], ids[0]], total: 3 });
        assert.deepEqual(await list({ step_id: step.id }), { ids: [ids[0]], total: 1 });
        assert.deepEqual(await list({ artifact_type: 'image', execution_id: a.id }), {
          ids: [ids[3], ids[0]],
          total: 2,
        });
        assert.deepEqual(await list({ artifact_type: 'image', limit: 1, offset: 1 }), { ids: [ids[2]], total: 3 });
        assert.equal(await store.getArtifact(9_999), null);
      }));
  });

  describe('ping / figures / optimize', () => {
    it('answers ping', () =>
      withStore(open, async (store) => {
        await store.ping();
      }));

    it('reports sizes, row counts and the creation time range', () =>
      withStore(open, async (store) => {
        const a = await store.createExecution(newExecution(), 1_000);
        await store.createExecution(newExecution(), 3_000);
        await store.saveStep(a.id, newStep(0));
        await store.appendLogLines(a.id, logLines(1, 10, 0));
        await store.createArtifact(newArtifact(a.id));
        const figures = await store.figures();
        assert.deepEqual(figures.tables, { executions: 2, steps: 1, log_lines: 10, artifacts: 1 });
        assert.equal(figures.oldest_execution_at, 1_000);
        assert.equal(figures.newest_execution_at, 3_000);
        assert.ok(figures.size_bytes > 0);
        assert.ok(figures.backend === 'sqlite' || figures.backend === 'postgres');
      }));

    it('reports no creation times for an empty store', () =>
      withStore(open, async (store) => {
        const figures = await store.figures();
        assert.deepEqual(
          [figures.oldest_execution_at, figures.newest_execution_at, figures.tables.executions],
          [null, null, 0],
        );
      }));

    it('optimizes and names what it did', () =>
      withStore(open, async (store) => {
        await store.createExecution(newExecution(), 1);
        const operations = await store.optimize();
        assert.ok(operations.length > 0 && operations.every((op) => typeof op === 'string' && op.length > 0));
        await store.ping();
      }));
  });
}
