// STEPFLOW_DATABASE_READ_URL: the "replica" is a second database whose rows differ from the primary's, so every answer
// shows which database gave it. Lists, statistics, log pages and search come from the replica, except for a client
// that wrote within STEPFLOW_READ_YOUR_WRITES_SECONDS, which reads the primary.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import type { WireExecution, WireLogLine } from '../../src/core/wire-types.js';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { logLines, newExecution } from '../../src/store/store-contract-fixtures.js';
import { createTestClock, startServer, testConfig, waitUntil, type TestServer } from './harness.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const primary = await createTestDatabase('replica_primary');
const copy = await createTestDatabase('replica_copy');
const WINDOW_SECONDS = 60;

if ('skip' in primary || 'skip' in copy) {
  it('a server with a read replica', { skip: 'skip' in primary ? primary.skip : 'no PostgreSQL' }, () => {});
} else {
  describe('a server with a read replica', () => {
    const clock = createTestClock();
    let server: TestServer;
    let proxy: TcpProxy;

    before(async () => {
      // The replica's own rows: two executions, the first with three lines the primary never has.
      const seed = await openPostgresStore({ url: copy.url, poolSize: 2 });
      const only = await seed.createExecution(newExecution({ name: 'only-in-replica' }), 1_000);
      await seed.appendLogLines(
        only.id,
        logLines(1, 3, null).map((line) => ({ ...line, content: `replica line ${line.line}` })),
      );
      await seed.createExecution(newExecution({ name: 'also-in-replica' }), 2_000);
      await seed.close();
      const target = new URL(copy.url);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const proxied = new URL(copy.url);
      proxied.port = String(proxy.port);
      server = await startServer(
        {
          databaseUrl: primary.url,
          databaseReadUrl: proxied.toString(),
          databasePool: 3,
          readYourWritesSeconds: WINDOW_SECONDS,
        },
        undefined,
        { clock },
      );
    });
    after(async () => {
      await server?.close();
      await proxy?.close();
      await primary.drop();
      await copy.drop();
    });

    async function listedNames(): Promise<string[]> {
      const listed = await server.request<{ executions: WireExecution[] }>('GET', '/api/executions');
      return listed.body.data!.executions.map((execution) => execution.name ?? '');
    }

    async function logContents(id: string): Promise<string[]> {
      const page = await server.request<{ lines: WireLogLine[] }>('GET', `/api/executions/${id}/logs`);
      assert.equal(page.status, 200);
      return page.body.data!.lines.map((line) => line.content);
    }

    async function searchHits(text: string): Promise<number> {
      const found = await server.request<{ executions: unknown[] }>('GET', `/api/search?q=${text}`);
      assert.equal(found.status, 200);
      return found.body.data!.executions.length;
    }

    it('answers lists, statistics and search from the replica', async () => {
      assert.deepEqual(await listedNames(), ['also-in-replica', 'only-in-replica']);
      const statistics = await server.request<{ total_executions: number }>('GET', '/api/executions/statistics');
      assert.equal(statistics.body.data!.total_executions, 2);
      assert.equal(await searchHits('replica line'), 1);
    });

    it('sends a client that just wrote to the primary, and back to the replica once its window has passed', async () => {
      const id = await server.create({ command: 'echo from the primary', name: 'written-to-primary' });
      assert.equal(id, '1');
      await server.waitForEnd(id);
      // Within the window: the primary answers (its only execution, its own log, no replica lines to find).
      assert.deepEqual(await listedNames(), ['written-to-primary']);
      assert.deepEqual(await logContents(id), ['from the primary']);
      assert.equal(await searchHits('replica line'), 0);
      clock.advance((WINDOW_SECONDS + 1) * 1000);
      // Past it: the replica again, where execution 1 is "only-in-replica" with its own three lines.
      assert.deepEqual(await listedNames(), ['also-in-replica', 'only-in-replica']);
      assert.deepEqual(await logContents(id), ['replica line 1', 'replica line 2', 'replica line 3']);
    });

    it('reports both pools, and turns unhealthy naming the replica while it does not answer', async () => {
      const metrics = await server.request<{
        database: { pool: { max: number }; read_replica?: { pool: { max: number } } };
      }>('GET', '/api/health/metrics');
      assert.equal(metrics.body.data!.database.pool.max, 3);
      assert.equal(metrics.body.data!.database.read_replica?.pool.max, 3);
      proxy.cut();
      const down = await waitUntil('health to report the replica down', async () => {
        const seen = await server.request<{ database: { message?: string } }>('GET', '/api/health');
        return seen.status === 503 ? seen : undefined;
      });
      assert.match(down.body.data!.database.message ?? '', /^database check failed: read replica: /);
      proxy.restore();
      await waitUntil('health to recover', async () =>
        (await server.request('GET', '/api/health')).status === 200 ? true : undefined,
      );
    });

    it('refuses to start on a read replica it cannot reach, naming it without its password', async () => {
      const storage = mkdtempSync(join(tmpdir(), 'stepflow-pg-bad-replica-'));
      try {
        const config = testConfig(storage, {
          databaseUrl: primary.url,
          databaseReadUrl: 'postgres://reader:pw-secret-456@127.0.0.1:1/replica',
        });
        await assert.rejects(startApp(config), (error: Error) => {
          assert.match(
            error.message,
            /^cannot connect to the PostgreSQL read replica postgres:\/\/reader:\*\*\*@127\.0\.0\.1:1\/replica \(STEPFLOW_DATABASE_READ_URL \/ --database-read-url\): /,
          );
          assert.doesNotMatch(error.message, /pw-secret-456/);
          return true;
        });
        await assert.rejects(
          startApp(testConfig(storage, { databaseReadUrl: primary.url })),
          /STEPFLOW_DATABASE_READ_URL \/ --database-read-url needs STEPFLOW_DATABASE_URL/,
        );
      } finally {
        rmSync(storage, { recursive: true, force: true });
      }
    });
  });
}
