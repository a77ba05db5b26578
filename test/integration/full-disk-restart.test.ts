// A server killed with SIGKILL and started again on a real full filesystem (a small tmpfs), with no reserve left to free.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RESERVE_FILE } from '../../src/service/storage-reserve.js';
import { processAlive, waitUntil } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { mountSmallVolume, volumeSkipReason } from './small-volume.js';

const skip = volumeSkipReason();

describe('a restart on a full storage filesystem', { skip }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('starts, refuses new work, and ends the interrupted run and runs the pending one once space returns', async () => {
    const volume = mountSmallVolume(8);
    cleanups.push(() => volume.unmount());
    const storage = join(volume.dir, 'data');
    const first: ServerProcess = await spawnServer(storage, ['--max-concurrent', '1']);
    cleanups.push(() => first.client.close());
    const running = await first.client.create({ command: './sleep-forever.sh' });
    const waiting = await first.client.create({ command: 'echo requeued' });
    const grandchild = await waitUntil('the script to print its child pid', async () => {
      const line = (await first.client.allLines(running)).find((candidate) => /^child \d+$/.test(candidate.content));
      return line ? Number(line.content.split(' ')[1]) : undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;

    volume.fill();
    rmSync(join(storage, RESERVE_FILE), { force: true });
    volume.fill();
    const second = await spawnServer(storage);
    cleanups.push(() => second.client.close());
    const server = second.client;
    assert.equal(
      processAlive(grandchild),
      false,
      'recovery killed the orphaned process group even though it could not write',
    );
    const refused = await server.request('POST', '/api/executions', { command: 'echo never stored' });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.code, 'storage_unavailable');
    assert.equal((await server.request('GET', '/api/health')).status, 503);

    volume.release();
    const interrupted = await server.waitForEnd(running, 30_000);
    assert.equal(interrupted.execution.status, 'failed');
    assert.equal(interrupted.execution.error_message, 'interrupted: server stopped');
    assert.equal(interrupted.steps[0]?.status, 'failed');
    const requeued = await server.waitForEnd(waiting, 30_000);
    assert.equal(requeued.execution.status, 'completed');
    assert.deepEqual(
      (await server.allLines(waiting)).map((line) => line.content),
      ['requeued'],
    );
  });
});
