// A real server process killed with SIGKILL or stopped with SIGTERM, then started again on the same storage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processAlive, type TestServer } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';

async function waitForChildPid(server: TestServer, id: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const line = (await server.allLines(id)).find((candidate) => /^child \d+$/.test(candidate.content));
    if (line) return Number(line.content.split(' ')[1]);
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error('the script never printed its child pid');
}

describe('server restart', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  after(async () => {
    for (const server of servers) await server.client.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fails runs interrupted by SIGKILL, kills their processes and runs the pending ones', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-restart-'));
    dirs.push(storage);
    const first = await spawnServer(storage, ['--max-concurrent', '1']);
    servers.push(first);
    const running = await first.client.create({ command: './sleep-forever.sh' });
    const waiting = await first.client.create({ command: 'echo requeued' });
    const grandchild = await waitForChildPid(first.client, running);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.ok(processAlive(grandchild), 'the script outlives a SIGKILLed server (own process group)');

    const second = await spawnServer(storage);
    servers.push(second);
    const { execution, steps } = await second.client.waitForEnd(running);
    assert.equal(execution.status, 'failed');
    assert.equal(execution.error_message, 'interrupted: server stopped');
    assert.equal(steps[0]?.status, 'failed');
    assert.equal(steps[0]?.error_message, 'interrupted: server stopped');
    assert.equal(processAlive(grandchild), false, 'recovery killed the orphaned process group');
    const lines = (await second.client.allLines(running)).map((line) => line.content);
    assert.deepEqual(
      lines.slice(0, 3),
      ['STEP_START:Wait', `child ${grandchild}`, 'waiting'],
      'acknowledged lines survived',
    );
    const requeued = await second.client.waitForEnd(waiting);
    assert.equal(requeued.execution.status, 'completed');
    assert.deepEqual(
      (await second.client.allLines(waiting)).map((line) => line.content),
      ['requeued'],
    );
  });

  it('on SIGTERM cancels running executions, flushes their logs and exits 0', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-sigterm-'));
    dirs.push(storage);
    const first = await spawnServer(storage);
    servers.push(first);
    const id = await first.client.create({ command: './sleep-forever.sh' });
    const grandchild = await waitForChildPid(first.client, id);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.equal(processAlive(grandchild), false);

    const second = await spawnServer(storage);
    servers.push(second);
    const { execution } = await second.client.waitForEnd(id);
    assert.equal(execution.status, 'cancelled');
    assert.equal(execution.error_message, 'cancelled: server shutting down');
    assert.ok((await second.client.allLines(id)).some((line) => line.content === 'waiting'));
  });
});
