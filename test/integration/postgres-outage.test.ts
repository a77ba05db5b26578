// PostgreSQL goes away mid-run (a loopback proxy between a real server process and the database, cut and restored):
// health turns 503, output waits in memory up to STEPFLOW_OUTAGE_BUFFER_MB, and once the database is back every held
// line is stored in order exactly once; past the bound the run fails saying why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireLogLine } from '../../src/core/wire-types.js';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { logLines, newExecution } from '../../src/store/store-contract-fixtures.js';
import { createFifoGate, type FifoGate } from '../fifo-gate.js';
import { waitUntil, type TestServer } from './harness.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const database = await createTestDatabase('outage');

interface DatabaseHealth {
  status: string;
  message?: string;
  held_lines?: number;
}

/** The database part of GET /api/health, and the HTTP status. */
async function databaseHealth(server: TestServer): Promise<{ status: number; database: DatabaseHealth }> {
  const response = await server.request<{ database: DatabaseHealth }>('GET', '/api/health');
  return { status: response.status, database: response.body.data!.database };
}

function assertContiguous(lines: readonly WireLogLine[]): void {
  assert.deepEqual(
    lines.map((line) => line.line),
    lines.map((_, index) => index + 1),
  );
}

if ('skip' in database) {
  it('a server whose PostgreSQL goes away', { skip: database.skip }, () => {});
} else {
  describe('a server whose PostgreSQL goes away', () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-pg-outage-'));
    let proxy: TcpProxy;
    let started: ServerProcess;
    let server: TestServer;
    let gate: FifoGate;

    before(async () => {
      const target = new URL(database.url);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const proxied = new URL(database.url);
      proxied.port = String(proxy.port);
      started = await spawnServer(storage, [
        '--database-url',
        proxied.toString(),
        '--database-pool',
        '4',
        '--outage-buffer-mb',
        '1',
      ]);
      server = started.client;
    });
    after(async () => {
      await gate?.close();
      await server.close();
      await proxy.close();
      await database.drop();
      rmSync(storage, { recursive: true, force: true });
    });

    async function cutAndWaitUnhealthy(): Promise<void> {
      proxy.cut();
      const health = await waitUntil('health to report the database down', async () => {
        const seen = await databaseHealth(server);
        return seen.status === 503 ? seen : undefined;
      });
      assert.equal(health.database.status, 'error');
      assert.match(health.database.message ?? '', /^database check failed: /);
    }

    it('holds output while the database is away and stores it in order exactly once when it is back', async () => {
      gate = createFifoGate();
      const script =
        `exec 3<"$GATE"; seq 1 50 | sed 's/^/before /'; read _ <&3; ` +
        `echo STEP_START:Held; seq 1 2000 | sed 's/^/during /'; echo STEP_COMPLETE:Held`;
      const id = await server.create({ command: script, environment: { GATE: gate.path } });
      await waitUntil('the first 50 lines stored', async () =>
        (await server.allLines(id)).length === 50 ? true : undefined,
      );
      await cutAndWaitUnhealthy();
      // Requests that need the database meanwhile answer 503 saying why, not 500.
      const refused = await server.request('POST', '/api/executions', { command: 'true' });
      assert.equal(refused.status, 503);
      assert.equal(refused.body.code, 'storage_unavailable');
      assert.match(refused.body.error ?? '', /^the database does not answer: /);
      assert.equal((await server.request('GET', '/api/executions')).status, 503);
      await gate.release();
      // The script ends while the database is away: all its output waits in this server's memory, shown by health.
      const holding = await waitUntil('2,000 lines held in memory', async () => {
        const seen = await databaseHealth(server);
        return (seen.database.held_lines ?? 0) >= 2000 ? seen : undefined;
      });
      assert.equal(holding.status, 503);
      proxy.restore();
      const { execution, steps } = await server.waitForEnd(id, 30_000);
      assert.equal(execution.status, 'completed');
      assert.equal(execution.exit_code, 0);
      // The step's start and end were written during the outage too: they waited, in order, behind the lines.
      assert.deepEqual(
        steps.map((step) => [step.name, step.status]),
        [['Held', 'completed']],
      );
      const lines = await server.allLines(id);
      assertContiguous(lines);
      assert.ok(lines.filter((line) => line.content.startsWith('during ')).every((line) => line.step_index === 0));
      assert.deepEqual(
        lines.map((line) => line.content).filter((content) => /^(before|during) /.test(content)),
        [
          ...Array.from({ length: 50 }, (_, i) => `before ${i + 1}`),
          ...Array.from({ length: 2000 }, (_, i) => `during ${i + 1}`),
        ],
      );
      const healthy = await waitUntil('health to recover', async () => {
        const seen = await databaseHealth(server);
        return seen.status === 200 ? seen : undefined;
      });
      assert.equal(healthy.database.held_lines, undefined);
      await gate.close();
    });

    it('fails a run whose held output passes STEPFLOW_OUTAGE_BUFFER_MB, saying why, and stores what it held', async () => {
      gate = createFifoGate();
      // 3,000 lines of 1,000 characters: about 3 MiB, three times the 1 MiB bound; then the script waits.
      const script =
        `exec 3<"$GATE"; seq 1 20 | sed 's/^/before /'; read _ <&3; ` +
        `awk 'BEGIN { s = sprintf("%1000s", ""); gsub(/ /, "x", s); for (i = 1; i <= 3000; i++) print s }'; read _ <&3`;
      const id = await server.create({ command: script, environment: { GATE: gate.path } });
      await waitUntil('the first 20 lines stored', async () =>
        (await server.allLines(id)).length === 20 ? true : undefined,
      );
      await cutAndWaitUnhealthy();
      await gate.release();
      await waitUntil('output held up to the bound', async () => {
        const seen = await databaseHealth(server);
        return (seen.database.held_lines ?? 0) > 1000 ? true : undefined;
      });
      proxy.restore();
      const { execution } = await server.waitForEnd(id, 30_000);
      assert.equal(execution.status, 'failed');
      assert.match(
        execution.error_message ?? '',
        /^output not stored: 1 MiB of output are held in memory waiting for the database \(STEPFLOW_OUTAGE_BUFFER_MB\)/,
      );
      const lines = await server.allLines(id);
      assertContiguous(lines);
      // Every line held before the bound is stored: 1 MiB / 1,000 characters = 1,048 lines fit, the 1,049th passes it
      // (held text is checked before each line is added), and the 1,050th is the first dropped.
      assert.equal(lines.length, 20 + 1049);
      assert.deepEqual(
        lines.slice(0, 20).map((line) => line.content),
        Array.from({ length: 20 }, (_, i) => `before ${i + 1}`),
      );
    });

    it('fails the reads in flight and keeps the process alive (an unheard pg "error" event would end it)', async () => {
      const target = new URL(database.url);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const proxied = new URL(database.url);
      proxied.port = String(proxy.port);
      const store = await openPostgresStore({ url: proxied.toString(), poolSize: 8 });
      try {
        const { id } = await store.createExecution(newExecution(), 1_000);
        await store.appendLogLines(id, logLines(1, 2000, null));
        // Each log page is a repeatable-read transaction: its connection stays checked out across several statements.
        const reads = Array.from({ length: 32 }, () => store.readLogLines(id, { offset: 0, limit: 2000 }));
        setTimeout(() => proxy.cut(), 5);
        const outcomes = await Promise.allSettled(reads);
        assert.ok(
          outcomes.some((outcome) => outcome.status === 'rejected'),
          'the cut came after every read; nothing was tested',
        );
        proxy.restore();
        assert.equal((await store.readLogLines(id, { offset: 0, limit: 1 })).total, 2000);
      } finally {
        await store.close();
        await proxy.close();
      }
    });
  });
}
