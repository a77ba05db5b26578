// Agents behind two servers on one PostgreSQL, reached through a round-robin TCP proxy: every line once, cancel from
// the other server, and kill -9 of one server while agents stream (their runs go on through the other).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { WireAgent, WireExecution, WireLogLine } from '../../src/core/wire-types.js';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { spawnAgent, startCuttingProxy, type AgentProcess, type CuttingProxy } from './agent-process.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';

const database = await createTestDatabase('cluster_agents_e2e');
const LOST_SECONDS = 2;

/** Polls `read` until `done` holds (bounded); returns the last value read. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await sleep(50);
  }
}

/** Line numbers 1..n once each, and the script's numbers 1..count once each, in order. */
function assertExactlyOnce(lines: WireLogLine[], count: number, id: string): void {
  assert.deepEqual(
    lines.map((line) => line.line),
    lines.map((_, i) => i + 1),
    `execution ${id}: line numbers are 1..n without gaps or repeats`,
  );
  const printed = lines.filter((line) => line.stream === 'stdout').map((line) => Number(line.content));
  assert.equal(printed.length, count, `execution ${id}: every printed line is stored once`);
  assert.ok(
    printed.every((value, i) => value === i + 1),
    `execution ${id}: in the order printed`,
  );
}

const numbered = (count: number): Record<string, unknown> => ({
  command: ['./print-numbered.sh', String(count)],
  working_directory: FIXTURES,
  runs_on: ['lb'],
});

if ('skip' in database) {
  it('agents behind two servers on one PostgreSQL', { skip: database.skip }, () => {});
} else {
  describe('agents behind two servers on one PostgreSQL', () => {
    const dirs = [mkdtempSync(join(tmpdir(), 'stepflow-a-')), mkdtempSync(join(tmpdir(), 'stepflow-b-'))] as const;
    const sql = new pg.Pool({ connectionString: database.url, max: 2 });
    const agents: AgentProcess[] = [];
    let a: TestServer;
    let b: ServerProcess;
    let proxy: CuttingProxy;
    let connections = 0;
    let deadUntil = 0;
    const holder = async (id: string): Promise<string | null> =>
      (await sql.query<{ claimed_by: string | null }>('SELECT claimed_by FROM executions WHERE id = $1', [id])).rows[0]
        ?.claimed_by ?? null;
    const execution = async (server: TestServer, id: string): Promise<WireExecution> =>
      (await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`)).body.data!.execution;

    before(async () => {
      const shared = ['--server-lost-seconds', String(LOST_SECONDS), '--local-executor', 'false'];
      a = await startServer(
        { databaseUrl: database.url, serverName: 'a', serverLostSeconds: LOST_SECONDS, localExecutor: false },
        dirs[0],
      );
      b = await spawnServer(dirs[1], ['--database-url', database.url, '--server-name', 'b', ...shared]);
      const ports = [a.app.port, Number(new URL(b.client.url).port)];
      // An ordinary load balancer: each new connection goes to the next server in turn.
      // Until `deadUntil`, every connection goes to B: a balancer that has not yet noticed B is gone.
      proxy = await startCuttingProxy(() => (Date.now() < deadUntil ? ports[1]! : ports[connections++ % 2]!));
      for (const name of ['left', 'right'])
        agents.push(await spawnAgent(`http://127.0.0.1:${proxy.port}`, name, ['--labels', 'lb', '--concurrency', '3']));
    });
    after(async () => {
      await Promise.all(agents.map((agent) => agent.kill()));
      await proxy.close();
      await a.close();
      b.child.kill('SIGKILL');
      await b.exited;
      await sql.end();
      await database.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('lists every agent on every server', async () => {
      for (const server of [a, b.client]) {
        const listed = (await server.request<WireAgent[]>('GET', '/api/agents')).body.data!;
        assert.deepEqual(listed.map((agent) => agent.name).sort(), ['left', 'right']);
      }
    });

    it('stores every line of executions created on both servers once, in order, through cut connections', async () => {
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b.client).create(numbered(1500))),
      );
      for (let cut = 0; cut < 3; cut++) {
        await sleep(700);
        proxy.cut();
      }
      for (const id of ids) {
        const end = await a.waitForEnd(id, 120_000);
        assert.equal(end.execution.status, 'completed', `execution ${id}: ${end.execution.error_message}`);
        assertExactlyOnce(await b.client.allLines(id), 1500, id);
      }
      assert.ok(connections > 6, `the proxy spread ${connections} connections over both servers`);
    });

    it('cancels through the server the agent does not talk to', async () => {
      // `pinned` reaches only A; the cancel is asked of B.
      agents.push(await spawnAgent(a.url, 'pinned', ['--labels', 'pin', '--concurrency', '1']));
      const id = await b.client.create({ command: ['sleep', '60'], runs_on: ['pin'] });
      await until(
        () => execution(a, id),
        (e) => e.status === 'running',
        'running on pinned',
      );
      const cancel = await b.client.request<WireExecution>('POST', `/api/executions/${id}/cancel`);
      assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
      assert.equal((await execution(a, id)).status, 'cancelled');
      // Agents behind the balancer: whichever server holds the run and whichever the heartbeat waits on, the cancel arrives.
      const balanced = await a.create({ command: ['sleep', '60'], runs_on: ['lb'] });
      await until(
        () => execution(b.client, balanced),
        (e) => e.status === 'running',
        'running behind the balancer',
      );
      const viaA = await a.request<WireExecution>('POST', `/api/executions/${balanced}/cancel`);
      assert.equal(viaA.status, 200, JSON.stringify(viaA.body));
      assert.equal((await execution(b.client, balanced)).status, 'cancelled');
    });

    it('keeps agents running through A when B is killed -9 mid-run: nothing failed, every line once', async () => {
      const ids = await Promise.all(Array.from({ length: 4 }, () => a.create(numbered(2500))));
      // B holds at least one of them while lines stream.
      await until(
        async () => (await Promise.all(ids.map(holder))).includes('b'),
        (held) => held,
        'a run held by b',
      );
      await sleep(500);
      // The agents reach only the dead B for longer than the lost period: A reaps B while B still holds runs.
      deadUntil = Date.now() + (LOST_SECONDS + 2) * 1000;
      b.child.kill('SIGKILL');
      await b.exited;
      proxy.cut();
      for (const id of ids) {
        const end = await a.waitForEnd(id, 120_000);
        assert.equal(end.execution.status, 'completed', `execution ${id}: ${end.execution.error_message}`);
        assertExactlyOnce(await a.allLines(id), 2500, id);
      }
    });
  });
}
