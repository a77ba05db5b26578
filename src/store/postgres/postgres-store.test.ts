// Runs the store contract against a real PostgreSQL database, plus checks only PostgreSQL has: migrations under a lock, start-up errors, bulk append, NUL bytes.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { LogLine, LogStream } from '../../core/log-line.js';
import { newExecution } from '../store-contract-fixtures.js';
import { describeStoreContract } from '../store-contract.js';
import { applyPostgresMigrations, POSTGRES_MIGRATIONS } from './apply-postgres-migrations.js';
import { createTestDatabase } from './create-test-database.js';
import { openPostgresStore } from './open-postgres-store.js';

const database = await createTestDatabase('store');

if ('skip' in database) {
  it('PostgreSQL store contract', { skip: database.skip }, () => {});
} else {
  after(() => database.drop());
  const open = async (url?: string) =>
    openPostgresStore({ url: url ?? (await database.freshSchemaUrl()), poolSize: 4 });

  describeStoreContract('postgres', async () => {
    const store = await open();
    return { store, cleanup: () => store.close() };
  });

  describe('openPostgresStore', () => {
    it('migrates once when several servers start at the same time', async () => {
      const url = await database.freshSchemaUrl();
      const stores = await Promise.all([open(url), open(url), open(url)]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const versions = (
        await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
      ).rows.map((r) => r.version);
      await client.end();
      assert.deepEqual(
        versions,
        POSTGRES_MIGRATIONS.map((m) => m.version),
      );
      const pool = new pg.Pool({ connectionString: url });
      assert.deepEqual(await applyPostgresMigrations(pool), []);
      await pool.end();
      await Promise.all(stores.map((s) => s.close()));
    });

    it('keeps data across a close and reopen', async () => {
      const url = await database.freshSchemaUrl();
      const first = await open(url);
      const { id } = await first.createExecution(newExecution({ command: ['a', 'b'], tags: ['x'] }), 7);
      await first.appendLogLines(id, bulkLines(300));
      await first.close();
      await first.close();
      const second = await open(url);
      assert.deepEqual((await second.getExecution(id))?.command, ['a', 'b']);
      assert.equal((await second.listExecutions({ limit: 10, offset: 0, tag: 'x' })).total_count, 1);
      assert.equal(await second.lastLogLine(id), 300);
      await second.close();
    });

    it('refuses a database written by a newer schema', async () => {
      const url = await database.freshSchemaUrl();
      await (await open(url)).close();
      const pool = new pg.Pool({ connectionString: url });
      await pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
      await pool.end();
      await assert.rejects(open(url), /schema version 999 is newer/);
    });

    it('names the database without its password when it cannot connect', async () => {
      // Port 1 on loopback: nothing listens there.
      await assert.rejects(
        openPostgresStore({ url: 'postgres://stepflow:s3cret-pw@127.0.0.1:1/stepflow', poolSize: 1 }),
        (error: Error) => {
          assert.match(
            error.message,
            /cannot connect to the PostgreSQL database postgres:\/\/stepflow:\*\*\*@127\.0\.0\.1:1\/stepflow/,
          );
          assert.doesNotMatch(error.message, /s3cret-pw/);
          return true;
        },
      );
    });

    it('names a database that does not exist', async () => {
      const url = new URL(database.url);
      url.pathname = '/stepflow_no_such_database';
      await assert.rejects(
        openPostgresStore({ url: url.toString(), poolSize: 1 }),
        /stepflow_no_such_database.*does not exist/,
      );
    });
  });

  describe('appendLogLines on PostgreSQL', () => {
    it('stores a 10,000-line append exactly, NUL characters included', async () => {
      const store = await open();
      const { id } = await store.createExecution(newExecution(), 1);
      const lines = bulkLines(10_000);
      await store.appendLogLines(id, lines);
      const read: LogLine[] = [];
      for (let offset = 0; offset < 10_000; offset += 1_000) {
        const page = await store.readLogLines(id, { offset, limit: 1_000 });
        assert.equal(page.total, 10_000);
        read.push(...page.lines);
      }
      assert.deepEqual(read, lines);
      assert.equal((await store.figures()).tables.log_lines, 10_000);
      await store.close();
    });

    it('rolls the whole batch back when one line fails (duplicate line number)', async () => {
      const store = await open();
      const { id } = await store.createExecution(newExecution(), 1);
      await store.appendLogLines(id, bulkLines(150));
      await assert.rejects(store.appendLogLines(id, bulkLines(300).slice(140)), /duplicate key/);
      assert.equal(await store.lastLogLine(id), 150);
      await store.close();
    });

    it('rejects lines for an execution that does not exist, and keeps appending after it', async () => {
      const store = await open();
      for (let i = 0; i < 6; i++)
        await assert.rejects(store.appendLogLines(77, bulkLines(3)), /execution 77 does not exist/);
      const { id } = await store.createExecution(newExecution(), 1);
      await store.appendLogLines(id, bulkLines(3));
      assert.deepEqual((await store.readLogLines(id, { offset: 0, limit: 10 })).lines, bulkLines(3));
      await store.close();
    });
  });

  describe('figures on PostgreSQL', () => {
    it('reports the pool, the server and the database size', async () => {
      const store = await open();
      const figures = await store.figures();
      assert.equal(figures.backend, 'postgres');
      if (figures.backend !== 'postgres') return;
      assert.equal(figures.pool.max, 4);
      assert.ok(figures.pool.total >= 1 && figures.connections >= 1);
      assert.match(figures.server_version, /^\d+/);
      assert.ok(figures.size_bytes > 0);
      await store.close();
    });
  });
}

/** Lines 1..count with mixed streams, steps and awkward content (quotes, backslashes, braces, NUL). */
function bulkLines(count: number): LogLine[] {
  const streams: LogStream[] = ['stdout', 'stdout', 'stderr', 'system'];
  return Array.from({ length: count }, (_, i) => ({
    line: i + 1,
    ts: 1_700_000_000_000 + i,
    stream: streams[i % streams.length] as LogStream,
    step_index: i % 7 === 0 ? null : Math.floor(i / 1_000),
    content:
      i % 11 === 0
        ? ''
        : i % 13 === 0
          ? `nul\0byte {"a",b} \\N NULL`
          : `line ${i + 1} ünï "quoted" \\ ${'x'.repeat(i % 90)}`,
  }));
}
