// Tests the cluster coordinator against real PostgreSQL: claims of executions kept for agents, and the order notices arrive in.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { newExecution } from '../store-contract-fixtures.js';
import { createTestDatabase } from './create-test-database.js';
import { openPostgresCluster } from './open-postgres-store.js';

const database = await createTestDatabase('cluster_agents');

if ('skip' in database) {
  it('PostgreSQL cluster claims for agents', { skip: database.skip }, () => {});
} else {
  after(() => database.drop());

  describe('cluster claims and agents', () => {
    it('never claims an execution asking for labels, and lets one server claim a chosen execution once', async () => {
      const url = await database.freshSchemaUrl();
      const a = await openPostgresCluster({ url, poolSize: 2, serverName: 'a' });
      const b = await openPostgresCluster({ url, poolSize: 2, serverName: 'b' });
      try {
        const labelled = await a.store.createExecution(newExecution({ runs_on: ['gpu'] }), 1);
        const kept = await a.store.createExecution(newExecution(), 2);
        const free = await a.store.createExecution(newExecution(), 3);
        // A coordinator keeps `kept` for its agents: its claim wins, a second claim is refused.
        assert.equal(await a.cluster.claim(kept.id), true);
        assert.equal(await b.cluster.claim(kept.id), false);
        assert.deepEqual(await b.cluster.claimPending(10), [free.id]);
        assert.deepEqual(await a.cluster.claimPending(10), []);
        assert.equal((await a.store.getExecution(labelled.id))?.status, 'pending');
      } finally {
        await a.cluster.close();
        await b.cluster.close();
        await a.store.close();
        await b.store.close();
      }
    });

    it('delivers notices in the order they were sent, even when sent without waiting (regression: pooled NOTIFYs reordered)', async () => {
      const url = await database.freshSchemaUrl();
      const a = await openPostgresCluster({ url, poolSize: 8, serverName: 'a' });
      const b = await openPostgresCluster({ url, poolSize: 2, serverName: 'b' });
      try {
        const count = 300;
        const received: number[] = [];
        let allArrived = (): void => {};
        const all = new Promise<void>((resolve) => (allArrived = resolve));
        await b.cluster.listen((notice) => {
          if (notice.kind === 'lines') received.push(notice.from);
          if (received.length === count) allArrived();
        });
        const sent = Array.from({ length: count }, (_, i) =>
          a.cluster.notify({ kind: 'lines', server: 'a', execution_id: 1, from: i + 1, to: i + 1 }),
        );
        await Promise.all(sent);
        await all;
        assert.deepEqual(
          received,
          Array.from({ length: count }, (_, i) => i + 1),
        );
      } finally {
        await a.cluster.close();
        await b.cluster.close();
        await a.store.close();
        await b.store.close();
      }
    });
  });
}
