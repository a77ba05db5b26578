// Checks the SQLite agent rows and agents' queue: label matching, coordinator claims, cancel before a claim, loss once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { newExecution } from '../store-contract-fixtures.js';
import { openSqliteStore } from './open-sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepflow-agents-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
const settings = { cacheSizeKib: 2048, walAutocheckpoint: 500 };

describe('SQLite agent store', () => {
  it('claims only executions whose every label the agent has, oldest first, each once', async () => {
    const store = await openSqliteStore({ storagePath: mkdtempSync(join(root, 'a-')), ...settings });
    try {
      const gpu = await store.createExecution(newExecution({ runs_on: ['gpu'] }), 1);
      const gpuArm = await store.createExecution(newExecution({ runs_on: ['gpu', 'arm'] }), 2);
      const plain = await store.createExecution(newExecution(), 3);
      const claim = { agent: 'left', labels: ['linux', 'gpu'], limit: 5, anyExecution: false, server: null };
      assert.deepEqual(await store.agents.claimForAgent(claim), [gpu.id]);
      assert.deepEqual(await store.agents.claimForAgent(claim), [], 'claimed once');
      assert.equal(await store.agents.countAgentQueue(false), 1);
      assert.deepEqual(await store.agents.claimForAgent({ ...claim, anyExecution: true }), [plain.id]);
      assert.deepEqual(await store.agents.heldByAgent('left'), [
        { id: gpu.id, status: 'pending', cancel_requested: false },
        { id: plain.id, status: 'pending', cancel_requested: false },
      ]);
      // Cancelled while still queued; an execution an agent has cannot be cancelled that way.
      assert.equal(await store.agents.cancelQueued(gpuArm.id, false, 9), true);
      assert.equal((await store.getExecution(gpuArm.id))?.status, 'cancelled');
      assert.equal(await store.agents.cancelQueued(gpu.id, false, 9), false);
      await store.agents.requestCancel(gpu.id);
      assert.equal((await store.agents.heldByAgent('left'))[0]?.cancel_requested, true);
    } finally {
      await store.close();
    }
  });

  it('finds an agent by its session hash, and declares a silent agent lost once, ending its session', async () => {
    const store = await openSqliteStore({ storagePath: mkdtempSync(join(root, 'b-')), ...settings });
    try {
      const row = {
        name: 'left',
        labels: ['gpu'],
        version: '1',
        address: '127.0.0.1',
        concurrency: 2,
        key_name: 'anonymous',
        session_hash: 'h1',
        last_seen: 1_000,
        lost: false,
      };
      await store.agents.registerAgent(row);
      assert.deepEqual(await store.agents.findAgentSession('h1'), row);
      await store.agents.touchAgent('left', '127.0.0.2', 4_000);
      assert.deepEqual(await store.agents.markLostAgents(4_000), [], 'heard from at 4000');
      assert.deepEqual(await store.agents.markLostAgents(5_000), ['left']);
      assert.deepEqual(await store.agents.markLostAgents(5_000), [], 'lost once');
      assert.equal(await store.agents.findAgentSession('h1'), null);
      await store.agents.registerAgent({ ...row, session_hash: 'h2', last_seen: 6_000 });
      const [listed] = await store.agents.listAgents();
      assert.deepEqual([listed?.agent.lost, listed?.agent.session_hash], [false, 'h2']);
    } finally {
      await store.close();
    }
  });
});
