// Tests the cluster coordinator and agent store against real PostgreSQL: agents' claims, loss, holders, and the order notices arrive in.
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
    it('never claims an execution asking for labels for a server, and claims each other one once', async () => {
      const url = await database.freshSchemaUrl();
      const a = await openPostgresCluster({ url, poolSize: 2, serverName: 'a' });
      const b = await openPostgresCluster({ url, poolSize: 2, serverName: 'b' });
      try {
        const labelled = await a.store.createExecution(newExecution({ runs_on: ['gpu'] }), 1);
        const free = await a.store.createExecution(newExecution(), 2);
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

    it('hands queued executions to eligible agents once, declares an agent lost once, and keeps one holder per run', async () => {
      const url = await database.freshSchemaUrl();
      const a = await openPostgresCluster({ url, poolSize: 2, serverName: 'a' });
      const b = await openPostgresCluster({ url, poolSize: 2, serverName: 'b' });
      try {
        const gpu = await a.store.createExecution(newExecution({ runs_on: ['gpu'] }), 1);
        const gpuArm = await a.store.createExecution(newExecution({ runs_on: ['gpu', 'arm'] }), 2);
        const gpu2 = await a.store.createExecution(newExecution({ runs_on: ['gpu'] }), 3);
        const plain = await a.store.createExecution(newExecution(), 4);
        const claim = { labels: ['gpu', 'linux'], limit: 1, anyExecution: false };
        // Two servers claim at once for two agents: each gets one, never the same, never one asking for a missing label.
        const [left, right] = await Promise.all([
          a.store.agents.claimForAgent({ ...claim, agent: 'left', server: 'a' }),
          b.store.agents.claimForAgent({ ...claim, agent: 'right', server: 'b' }),
        ]);
        assert.deepEqual([...left!, ...right!].sort(), [gpu.id, gpu2.id]);
        assert.deepEqual(await a.store.agents.claimForAgent({ ...claim, agent: 'left', server: 'a', limit: 5 }), []);
        assert.deepEqual(
          await a.store.agents.claimForAgent({ ...claim, agent: 'arm', labels: ['arm', 'gpu'], server: 'a', limit: 5 }),
          [gpuArm.id],
        );
        // A coordinator-only claim also takes executions asking for no label.
        assert.deepEqual(
          await b.store.agents.claimForAgent({ ...claim, agent: 'right', anyExecution: true, server: 'b', limit: 5 }),
          [plain.id],
        );
        // The run claimed through a: b takes it over (previous holder a), then a takes it back; missing runs are refused.
        const leftRun = left![0]!;
        assert.deepEqual(await b.cluster.takeOver(leftRun), { previous: 'a' });
        assert.deepEqual(await a.cluster.takeOver(leftRun), { previous: 'b' });
        assert.equal(await a.cluster.takeOver(999), null);
        const row = {
          name: 'left',
          labels: ['gpu'],
          version: '1',
          address: '127.0.0.1',
          concurrency: 1,
          key_name: 'anonymous',
          session_hash: 'h1',
          last_seen: 1_000,
          lost: false,
        };
        await a.store.agents.registerAgent(row);
        assert.equal((await b.store.agents.findAgentSession('h1'))?.name, 'left');
        const lost = await Promise.all([a.store.agents.markLostAgents(5_000), b.store.agents.markLostAgents(5_000)]);
        assert.deepEqual(lost.flat(), ['left'], 'declared lost by exactly one server');
        assert.equal(await b.store.agents.findAgentSession('h1'), null, 'a lost agent has no session');
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
