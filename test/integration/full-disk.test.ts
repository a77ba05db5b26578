// The storage directory on a real full filesystem (a small tmpfs): every run ends with a clear message, nothing stored is lost, the queue resumes by itself.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Config } from '../../src/config/config.js';
import type { WireExecution } from '../../src/core/wire-types.js';
import type { HealthReport } from '../../src/service/health-service.js';
import { RESERVE_FILE } from '../../src/service/storage-reserve.js';
import { processAlive, startServer, waitUntil, type TestServer } from './harness.js';
import { mountSmallVolume, volumeSkipReason, type SmallVolume } from './small-volume.js';

const skip = volumeSkipReason();

async function statusOf(server: TestServer, id: string): Promise<WireExecution['status'] | undefined> {
  return (await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`)).body.data?.execution
    .status;
}

async function assertRefusesCreation(server: TestServer, why: string): Promise<void> {
  const refused = await server.request('POST', '/api/executions', { command: 'echo never stored' });
  assert.equal(refused.status, 503, why);
  assert.equal(refused.body.code, 'storage_unavailable');
  assert.match(refused.body.error ?? '', /^storage full: /);
}

function assertIntact(storage: string): void {
  const db = new Database(join(storage, 'stepflow.db'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
}

describe('a full storage filesystem', { skip }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function serverOnSmallVolume(overrides: Partial<Config>): Promise<{ volume: SmallVolume; server: TestServer }> {
    const volume = mountSmallVolume(8);
    cleanups.push(() => volume.unmount());
    const server = await startServer({ logFlushMs: 10, ...overrides }, join(volume.dir, 'data'));
    cleanups.push(() => server.close());
    return { volume, server };
  }

  it('stops the runs whose output no longer fits, holds the queue and creation while the reserve is in use, and resumes by itself', async () => {
    const { volume, server } = await serverOnSmallVolume({ maxConcurrent: 2 });
    const before = await server.waitForEnd(await server.create({ command: 'echo stored before' }));
    assert.equal(before.execution.status, 'completed');
    const chatty = await server.create({ command: ['./print-numbered.sh', '100000000'] });
    const slow = await server.create({ command: ['./print-slowly.sh', '100000', '1', '0.05', '0'] });
    const waiting = await server.create({ command: 'echo resumed' });
    await waitUntil(
      'both runs to store output',
      async () => ((await server.allLines(chatty)).length > 0 && (await server.allLines(slow)).length > 1) || undefined,
    );

    volume.fill();
    for (const id of [chatty, slow]) {
      const { execution, steps } = await server.waitForEnd(id, 30_000);
      assert.equal(execution.status, 'failed');
      assert.match(execution.error_message ?? '', /^storage full: /);
      assert.ok(
        steps.every((step) => step.status !== 'running' && step.status !== 'pending'),
        'no step is left running',
      );
    }
    (await server.allLines(chatty)).forEach((line, index) =>
      assert.equal(line.content, String(index + 1), 'what was stored is a prefix, with no gap'),
    );
    (await server.allLines(slow))
      .slice(1)
      .forEach((line, index) =>
        assert.equal(line.content, `line ${index + 1}`, 'what was stored is a prefix, with no gap'),
      );
    assert.equal(await statusOf(server, waiting), 'pending', 'no execution starts while the reserve is in use');
    await assertRefusesCreation(server, 'creation while the disk is full');
    const health = await server.request<HealthReport>('GET', '/api/health');
    assert.equal(health.status, 503);
    assert.match(String(health.body.data?.storage.message), /^storage full: /);

    // Some room, but not enough to take the reserve back with room to spare: still refused.
    volume.release(512 * 1024);
    await assertRefusesCreation(server, 'creation with less room than the reserve needs');

    volume.release();
    const resumed = await server.waitForEnd(waiting, 30_000);
    assert.equal(resumed.execution.status, 'completed', 'the pending execution started by itself once there was room');
    assert.deepEqual(
      (await server.allLines(waiting)).map((line) => line.content),
      ['resumed'],
    );
    const later = await server.waitForEnd(await server.create({ command: 'echo stored after' }));
    assert.equal(later.execution.status, 'completed');
    assert.deepEqual(
      (await server.allLines(before.execution.id)).map((line) => line.content),
      ['stored before'],
    );
    await server.close();
    assertIntact(server.storage);
  });

  it('ends every run even when the reserve was already used up, storing the ends once space returns', async () => {
    const { volume, server } = await serverOnSmallVolume({ maxConcurrent: 1 });
    const looping = await server.create({
      command: 'echo STEP_START:Loop; echo "pid $$"; while :; do echo tick; sleep 0.02; done',
    });
    const waiting = await server.create({ command: 'echo resumed' });
    const pid = await waitUntil('the loop to print its pid', async () => {
      const line = (await server.allLines(looping)).find((candidate) => candidate.content.startsWith('pid '));
      return line ? Number(line.content.slice(4)) : undefined;
    });

    // Another program takes the space StepFlow set aside: no state write can fit any more.
    volume.fill();
    rmSync(join(server.storage, RESERVE_FILE), { force: true });
    volume.fill();
    await waitUntil('the run to be stopped', async () => (processAlive(pid) ? undefined : true));
    await waitUntil('the queue slot to be freed', async () => {
      const stats = await server.request<{ running_now: number }>('GET', '/api/executions/statistics');
      return stats.body.data?.running_now === 0 || undefined;
    });
    await assertRefusesCreation(server, 'creation while the disk is full');

    volume.release();
    const stopped = await server.waitForEnd(looping, 30_000);
    assert.equal(stopped.execution.status, 'failed');
    assert.match(stopped.execution.error_message ?? '', /^storage full: /);
    assert.equal(stopped.steps[0]?.status, 'failed', 'its open step is closed too');
    const resumed = await server.waitForEnd(waiting, 30_000);
    assert.equal(resumed.execution.status, 'completed');
    assert.deepEqual(
      (await server.allLines(waiting)).map((line) => line.content),
      ['resumed'],
    );
    await server.close();
    assertIntact(server.storage);
  });
});
