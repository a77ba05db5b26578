// A real server on a real PostgreSQL database, end to end: create, run, steps, logs, artifacts, figures, restart; and start-up errors.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import type { WireAnnotationPage, WireArtifact, WireExecution, WireStepSummary } from '../../src/core/wire-types.js';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { FIXTURES, startServer, testConfig, type TestServer } from './harness.js';

const database = await createTestDatabase('server');

if ('skip' in database) {
  it('a server on PostgreSQL', { skip: database.skip }, () => {});
} else {
  describe('a server on PostgreSQL', () => {
    const storageRoot = mkdtempSync(join(tmpdir(), 'stepflow-pg-it-'));
    // Not there yet: the server creates it, as it does for SQLite.
    const storage = join(storageRoot, 'nested');
    const workdir = mkdtempSync(join(tmpdir(), 'stepflow-pg-work-'));
    let server: TestServer;
    before(async () => {
      server = await startServer({ databaseUrl: database.url, databasePool: 4 }, storage);
    });
    after(async () => {
      await server.close();
      await database.drop();
      rmSync(storageRoot, { recursive: true, force: true });
      rmSync(workdir, { recursive: true, force: true });
    });

    it('runs a script with steps and stores its execution, steps and log in PostgreSQL, not SQLite', async () => {
      const id = await server.create({ command: `${FIXTURES}/steps-basic.sh`, name: 'pg steps', tags: ['pg'] });
      const { execution, steps } = await server.waitForEnd(id);
      assert.equal(execution.status, 'completed');
      assert.deepEqual(
        steps.map((s) => [s.name, s.status]),
        [
          ['Build', 'completed'],
          ['Test', 'completed'],
        ],
      );
      const lines = await server.allLines(id);
      assert.deepEqual(
        lines.map((l) => l.line),
        lines.map((_, i) => i + 1),
      );
      assert.ok(lines.some((l) => l.content === '  compiling (indented)' && l.step_index === 0));
      assert.ok(lines.some((l) => l.content === 'testing' && l.stream === 'stderr'));
      const listed = await server.request<{ executions: WireExecution[]; total_count: number }>(
        'GET',
        '/api/executions?tag=pg',
      );
      assert.deepEqual(
        listed.body.data!.executions.map((e) => e.id),
        [id],
      );
      assert.equal(existsSync(join(storage, 'stepflow.db')), false);
    });

    it('stores nested GitHub groups, annotations and the step summary in PostgreSQL and serves them', async () => {
      const id = await server.create({ command: [`${FIXTURES}/github-groups.sh`], markers: ['github'] });
      const { execution, steps } = await server.waitForEnd(id);
      assert.deepEqual(
        [execution.markers, execution.annotation_counts],
        [['github'], { error: 1, warning: 0, notice: 1 }],
      );
      assert.deepEqual(
        steps.map((step) => [step.name, step.depth, step.parent_id]),
        [
          ['Build', 0, null],
          ['Compile', 1, steps[0]?.id],
        ],
      );
      const page = await server.request<WireAnnotationPage>('GET', `/api/executions/${id}/annotations`);
      assert.deepEqual(
        page.body.data?.annotations.map((a) => [a.level, a.message, a.file, a.line, a.step_id]),
        [
          ['error', 'Boom', 'src/app.ts', 3, steps[1]?.id],
          ['notice', 'all done', null, null, null],
        ],
      );
      const summaries = await server.request<WireStepSummary[]>('GET', `/api/executions/${id}/summaries`);
      // Which step gets the text depends on how far the server's reading lags the script (docs/markers.md);
      // marker-dialects.test.ts pins it with a gated script. Here: one summary, stored in PostgreSQL and served.
      assert.equal(summaries.body.data?.length, 1);
      assert.ok([steps[0]?.id, null].includes(summaries.body.data?.[0]?.step_id ?? null));
      assert.match(summaries.body.data?.[0]?.markdown ?? '', /### Build report/);
    });

    it('keeps an artifact row in PostgreSQL and serves its bytes from the storage directory', async () => {
      const id = await server.create({ command: `${FIXTURES}/artifact-file.sh`, working_directory: workdir });
      await server.waitForEnd(id);
      const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
      const [artifact] = detail.body.data!.artifacts;
      assert.equal(artifact?.name, 'report.txt');
      assert.equal(await (await fetch(`${server.url}${artifact.download_url}`)).text(), 'hello artifact\n');
    });

    it('reports PostgreSQL figures in health and metrics', async () => {
      const health = await server.request<{ database: { status: string } }>('GET', '/api/health');
      assert.equal(health.status, 200);
      assert.equal(health.body.data!.database.status, 'ok');
      const metrics = await server.request<{
        database: { backend: string; pool: { max: number }; server_version: string; tables: Record<string, number> };
      }>('GET', '/api/health/metrics');
      const db = metrics.body.data!.database;
      assert.deepEqual([db.backend, db.pool.max], ['postgres', 4]);
      assert.ok(db.tables.executions! >= 2 && db.tables.log_lines! > 0);
      const status = await server.request<{
        database: { wal_mode: boolean; cache_hit_ratio: number | null; wal_mb: number | null };
      }>('GET', '/api/health/status');
      assert.deepEqual([status.body.data!.database.wal_mode, status.body.data!.database.wal_mb], [true, null]);
      const optimized = await server.request<{ operations_performed: string[] }>('POST', '/api/health/optimize');
      assert.deepEqual(optimized.body.data!.operations_performed, ['vacuum_analyze']);
    });

    it('finds everything again after a restart on the same database', async () => {
      const id = await server.create({ command: 'echo survives' });
      await server.waitForEnd(id);
      await server.close();
      server = await startServer({ databaseUrl: database.url, databasePool: 4 }, storage);
      assert.deepEqual(
        (await server.allLines(id)).map((l) => l.content),
        ['survives'],
      );
      const stats = await server.request<{ total_executions: number }>('GET', '/api/executions/statistics');
      assert.ok(stats.body.data!.total_executions >= 3);
    });
  });

  describe('a database that goes away while the server runs', () => {
    it('makes /api/health answer 503 naming the database', async () => {
      const gone = await createTestDatabase('gone');
      if ('skip' in gone) return;
      const storage = mkdtempSync(join(tmpdir(), 'stepflow-pg-gone-'));
      const server = await startServer({ databaseUrl: gone.url, databasePool: 2, serverName: 'gone' }, storage);
      try {
        assert.equal((await server.request('GET', '/api/health')).status, 200);
        // DROP … WITH (FORCE) ends every connection to it, as a database server going away would.
        await gone.drop();
        const health = await server.request<{ database: { status: string; message: string } }>('GET', '/api/health');
        assert.equal(health.status, 503);
        assert.match(health.body.error ?? '', /^unhealthy: database \(database check failed: /);
      } finally {
        await server.close();
        rmSync(storage, { recursive: true, force: true });
      }
    });
  });

  describe('start-up on a database that cannot be used', () => {
    it('stops with an error naming the URL without its password', async () => {
      const storage = mkdtempSync(join(tmpdir(), 'stepflow-pg-bad-'));
      try {
        // Port 1 on loopback: nothing listens there.
        const config = testConfig(storage, { databaseUrl: 'postgres://stepflow:pw-secret-123@127.0.0.1:1/stepflow' });
        await assert.rejects(startApp(config), (error: Error) => {
          assert.match(
            error.message,
            /cannot connect to the PostgreSQL database postgres:\/\/stepflow:\*\*\*@127\.0\.0\.1:1\/stepflow/,
          );
          assert.doesNotMatch(error.message, /pw-secret-123/);
          return true;
        });
      } finally {
        rmSync(storage, { recursive: true, force: true });
      }
    });
  });
}
