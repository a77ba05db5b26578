// kill -9 of the server while 20 executions print: on restart each is failed, none of its processes lives, its log is an exact prefix.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { processAlive, type TestServer } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';

const RUNS = 20;

/** Pids and process groups of every live process whose command line contains `tag`. */
function processesTagged(tag: string): { pids: number[]; groups: Set<number> } {
  const pids: number[] = [];
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(tag)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      pids.push(Number(entry));
      groups.add(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]));
    } catch {
      // The process ended while we looked.
    }
  }
  return { pids, groups };
}

/** Live (non-zombie) processes in any of the groups. */
function membersOf(groups: Set<number>): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (groups.has(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2])) && processAlive(Number(entry)))
        members.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return members;
}

async function storedLines(server: TestServer, id: string): Promise<number> {
  const page = await server.request<{ total_lines: number }>('GET', `/api/executions/${id}/logs?limit=1`);
  return page.body.data?.total_lines ?? 0;
}

describe('crash safety: kill -9 while 20 executions print', () => {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-crash-'));
  const servers: ServerProcess[] = [];
  after(async () => {
    for (const server of servers) await server.client.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('fails every run, leaves no process alive, keeps an exact prefix of each log and a sound database', async () => {
    const tag = `crash-${randomUUID()}`;
    const first = await spawnServer(storage, ['--max-concurrent', '32', '--kill-grace', '0.5']);
    servers.push(first);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++)
      ids.push(await first.client.create({ command: ['./print-numbered.sh', '100000000', tag] }));
    for (const id of ids) {
      for (let tries = 0; (await storedLines(first.client, id)) < 30; tries++) {
        assert.ok(tries < 600, `execution ${id} never printed 30 lines`);
        await sleep(25);
      }
    }
    const { groups } = processesTagged(tag);
    assert.equal(groups.size, RUNS, 'each script runs in its own process group');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await spawnServer(storage);
    servers.push(second);
    for (const id of ids) {
      const { execution } = await second.client.waitForEnd(id);
      assert.equal(execution.status, 'failed');
      assert.equal(execution.error_message, 'interrupted: server stopped');
      const lines = await second.client.allLines(id);
      assert.ok(lines.length >= 30, `execution ${id} kept ${lines.length} lines`);
      lines.forEach((line, index) => {
        assert.equal(line.line, index + 1, `execution ${id}: line numbers have no gap`);
        assert.equal(line.content, String(index + 1), `execution ${id}: line ${index + 1} is what the script printed`);
      });
    }
    for (let tries = 0; membersOf(groups).length > 0; tries++) {
      assert.ok(tries < 750, `processes of interrupted runs survived: ${membersOf(groups).join(', ')}`);
      await sleep(20);
    }
    assert.deepEqual(processesTagged(tag).pids.filter(processAlive), []);

    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    const db = new Database(join(storage, 'stepflow.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      db.close();
    }
  });
});
