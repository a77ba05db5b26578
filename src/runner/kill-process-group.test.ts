// Unit tests for killProcessGroup and isProcessGroupAlive, against a real detached child.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { isProcessGroupAlive, killProcessGroup } from './kill-process-group.js';

async function spawnGroup(): Promise<number> {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
  await once(child, 'spawn');
  assert.ok(child.pid);
  return child.pid;
}

describe('killProcessGroup', () => {
  it('signals a live group and returns true', async () => {
    const pgid = await spawnGroup();
    assert.equal(killProcessGroup(pgid, 'SIGKILL'), true);
  });

  it('returns false for a group that does not exist', () => {
    assert.equal(killProcessGroup(2 ** 22 + 7, 'SIGTERM'), false);
  });

  it('refuses our own group (0) and every process (1)', () => {
    assert.throws(() => killProcessGroup(0, 'SIGTERM'), RangeError);
    assert.throws(() => killProcessGroup(1, 'SIGTERM'), RangeError);
  });
});

describe('isProcessGroupAlive', () => {
  it('is true for a running group', async () => {
    const pgid = await spawnGroup();
    assert.equal(isProcessGroupAlive(pgid), true);
    killProcessGroup(pgid, 'SIGKILL');
  });

  it('is false for a group that does not exist', () => {
    assert.equal(isProcessGroupAlive(2 ** 22 + 7), false);
  });
});
