// Two real servers on one PostgreSQL: the shared queue, a WebSocket subscriber on A following a run on B, a cancel sent to A stopping a run on B, and kill -9 of B mid-run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import type { WireArtifact, WireExecution } from '../../src/core/wire-types.js';
import { FIXTURES, processAlive, startServer, type TestServer } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { messageExecutionId } from '../../src/core/ws-messages.js';
import { connectWs, receivedLines, type WsMessage } from './ws-test-client.js';

const database = await createTestDatabase('cluster');
const LOST_SECONDS = 2;

/** Polls `read` until `done` holds (bounded); returns the last value read. */
async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

if ('skip' in database) {
  it('two servers on one PostgreSQL', { skip: database.skip }, () => {});
} else {
  describe('two servers on one PostgreSQL', () => {
    const dirs = [
      mkdtempSync(join(tmpdir(), 'stepflow-a-')),
      mkdtempSync(join(tmpdir(), 'stepflow-b-')),
      mkdtempSync(join(tmpdir(), 'stepflow-shared-')),
      mkdtempSync(join(tmpdir(), 'stepflow-work-')),
    ] as const;
    const sql = new pg.Pool({ connectionString: database.url, max: 2 });
    let a: TestServer;
    let b: ServerProcess;
    // A server is idle once its slot is released, which may follow the stored end of its last run by a moment.
    const idle = (server: TestServer): Promise<unknown> =>
      until(
        async () =>
          (await server.request<{ running_now: number; queued_now: number }>('GET', '/api/executions/statistics')).body
            .data,
        (d) => d?.running_now === 0 && d.queued_now === 0,
        'server idle',
      );
    const claimedBy = async (id: string): Promise<string | null> =>
      (await sql.query<{ claimed_by: string | null }>('SELECT claimed_by FROM executions WHERE id = $1', [id])).rows[0]
        ?.claimed_by ?? null;

    /**
     * Takes A's one slot (once both servers are idle) for `seconds`, so the next run goes to B; the blocker's id. Both
     * servers race for a new execution on the shared queue, and an idle B may win it: that blocker is then cancelled and
     * another created, until A holds one.
     */
    const occupyA = async (seconds: number): Promise<string> => {
      for (let attempt = 1; ; attempt++) {
        await Promise.all([idle(a), idle(b.client)]);
        const blocker = await a.create({ command: `sleep ${seconds}` });
        const holder = await until(
          () => claimedBy(blocker),
          (s) => s !== null,
          'blocker claimed',
        );
        if (holder === 'a') return blocker;
        if (attempt === 5) throw new Error(`B claimed the blocker ${attempt} times running`);
        await a.request('POST', `/api/executions/${blocker}/cancel`);
        await a.waitForEnd(blocker);
      }
    };

    before(async () => {
      a = await startServer(
        {
          databaseUrl: database.url,
          serverName: 'a',
          serverLostSeconds: LOST_SECONDS,
          maxConcurrent: 1,
          artifactPath: dirs[2],
        },
        dirs[0],
      );
      b = await spawnServer(dirs[1], [
        '--database-url',
        database.url,
        '--server-name',
        'b',
        '--server-lost-seconds',
        String(LOST_SECONDS),
        '--max-concurrent',
        '1',
        '--artifact-path',
        dirs[2],
      ]);
    });
    after(async () => {
      await a.close();
      b.child.kill('SIGKILL');
      await b.exited;
      await sql.end();
      await database.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('runs executions created on A on B as well, each exactly once', async () => {
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, i) => a.create({ command: `sleep 0.3; echo run ${i}` })),
      );
      for (const id of ids) assert.equal((await a.waitForEnd(id, 30_000)).execution.status, 'completed');
      const servers = new Set(await Promise.all(ids.map(claimedBy)));
      assert.deepEqual([...servers].sort(), ['a', 'b'], 'both servers ran some of them');
      for (const [i, id] of ids.entries())
        assert.deepEqual(
          (await a.allLines(id)).map((l) => l.content),
          [`run ${i}`],
        );
    });

    it('serves an artifact through the server that did not run it, from the shared artifact directory', async () => {
      const id = await a.create({ command: `${FIXTURES}/artifact-file.sh`, working_directory: dirs[3] });
      await a.waitForEnd(id, 30_000);
      const other = (await claimedBy(id)) === 'a' ? b.client : a;
      const [artifact] = (await other.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`)).body.data!
        .artifacts;
      assert.ok(artifact);
      assert.equal(await (await fetch(`${other.url}${artifact.download_url}`)).text(), 'hello artifact\n');
    });

    it('lets a WebSocket subscriber on A follow a run on B: every line once, in order, then the end', async () => {
      const blocker = await occupyA(5);
      const client = await connectWs(`${a.url.replace(/^http/, 'ws')}/ws`);
      const id = await b.client.create({ command: ['./print-slowly.sh', '200', '10', '0.05', '0.5'] });
      client.send({ type: 'subscribe', data: { execution_id: id } });
      const forId = (message: WsMessage): boolean => messageExecutionId(message) === id;
      const snapshot = await client.waitFor('subscribed', forId);
      await client.waitFor('execution_completed', forId, 30_000);
      assert.equal(await claimedBy(id), 'b');
      const stored = await a.allLines(id);
      assert.equal(stored.length, 202);
      const lastLine = snapshot.data.last_line;
      assert.ok(lastLine < 150, `the subscription started while B was still printing (snapshot at line ${lastLine})`);
      assert.deepEqual(
        receivedLines(client, id),
        stored.slice(lastLine).map((l) => l.line),
      );
      const order = client.messages.filter(forId).map((message) => message.type);
      assert.equal(order.at(-1), 'execution_completed', 'the last lines arrive before execution_completed');
      await client.close();
      await a.waitForEnd(blocker);
    });

    it('stops a run on B when the cancel is sent to A: the process ends, the status is cancelled, the lines are kept', async () => {
      const blocker = await occupyA(5);
      const id = await b.client.create({
        command: 'echo "pid $$"; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.02; done',
      });
      const lines = await until(
        () => a.allLines(id),
        (stored) => stored.length >= 20,
        'lines of the run on b',
      );
      assert.equal(await claimedBy(id), 'b');
      const pid = Number(lines[0]?.content.slice(4));
      assert.ok(processAlive(pid), `the shell of the run (pid ${pid}) is running on b`);
      const answer = await a.request<{ execution: WireExecution }>('POST', `/api/executions/${id}/cancel`);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data!.execution.status, 'cancelled');
      await until(
        async () => processAlive(pid),
        (alive) => !alive,
        'the process of the run on b to end',
      );
      const ended = await b.client.waitForEnd(id);
      assert.equal(ended.execution.status, 'cancelled');
      const kept = await a.allLines(id);
      assert.ok(kept.length >= lines.length, `${kept.length} lines kept of at least ${lines.length}`);
      assert.deepEqual(
        kept.map((l) => l.line),
        kept.map((_, i) => i + 1),
        'every line printed before the cancel is stored once',
      );
      await a.waitForEnd(blocker);
    });

    it('after kill -9 of B: A fails its running execution within the lost period, runs its pending one, and keeps every stored line once', async () => {
      await occupyA(6);
      const running = await b.client.create({ command: ['./print-slowly.sh', '100000', '5', '0.05', '0'] });
      await until(
        () => claimedBy(running),
        (s) => s === 'b',
        'long run claimed by b',
      );
      const waiting = await b.client.create({ command: 'echo ran after b died' });
      await until(
        async () => (await a.allLines(running)).length,
        (n) => n >= 20,
        'lines of the run on b',
      );
      b.child.kill('SIGKILL');
      await b.exited;
      const killedAt = Date.now();
      const failed = await a.waitForEnd(running, 30_000);
      assert.equal(failed.execution.status, 'failed');
      assert.equal(failed.execution.error_message, 'interrupted: server b lost');
      assert.ok(Date.now() - killedAt < (LOST_SECONDS + 10) * 1000);
      assert.ok(failed.steps.every((step) => step.status !== 'running'));
      const lines = await a.allLines(running);
      assert.deepEqual(
        lines.map((l) => l.line),
        lines.map((_, i) => i + 1),
        'every stored line is there once',
      );
      const ran = await a.waitForEnd(waiting, 30_000);
      assert.equal(ran.execution.status, 'completed');
      assert.equal(await claimedBy(waiting), 'a');
      assert.deepEqual(
        (await a.allLines(waiting)).map((l) => l.content),
        ['ran after b died'],
      );
    });
  });
}
