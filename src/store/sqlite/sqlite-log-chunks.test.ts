// Checks the SQLite chunk layout itself: an old row-per-line database is read as is and sealed in the background; appends write rows and live sealing keeps tails small.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LogLine } from '../../core/log-line.js';
import { logLines, newExecution } from '../store-contract-fixtures.js';
import { applyMigrations, SQLITE_MIGRATIONS } from './apply-migrations.js';
import { openSqliteStore, SQLITE_DATABASE_FILE } from './open-sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepflow-chunks-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
const settings = { cacheSizeKib: 2048, walAutocheckpoint: 500 };

/** Writes a version-2 database the way StepFlow did before chunks: one execution, every line a log_lines row. */
function writeOldLayout(dir: string, lines: readonly LogLine[]): void {
  const db = new Database(join(dir, SQLITE_DATABASE_FILE));
  applyMigrations(
    db,
    SQLITE_MIGRATIONS.filter((m) => m.version <= 2),
  );
  db.prepare(
    "INSERT INTO executions (id, name, command, command_text, working_directory, environment, tags, metadata, status, created_at, completed_at) VALUES (1, 'old', '[\"x\"]', 'x', '/', '{}', '[]', '{}', 'completed', 1, 2)",
  ).run();
  const insert = db.prepare(
    'INSERT INTO log_lines (execution_id, line, ts, stream, step_index, content) VALUES (1, ?, ?, ?, ?, ?)',
  );
  db.transaction(() =>
    lines.forEach((l) => insert.run(l.line, l.ts, l.stream === 'stderr' ? 1 : 0, l.step_index, l.content)),
  )();
  db.close();
}

function countRows(dir: string): { lines: number; chunks: number; filters: number } {
  const db = new Database(join(dir, SQLITE_DATABASE_FILE), { readonly: true });
  const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const rows = { lines: count('log_lines'), chunks: count('log_chunks'), filters: count('log_chunk_grams') };
  db.close();
  return rows;
}

describe('SQLite log chunks', () => {
  it('reads a database stored before chunks unchanged, then seals it batch by batch without losing a line', async () => {
    const dir = mkdtempSync(join(root, 'old-'));
    const all = [...logLines(1, 2_000, null), ...logLines(2_001, 3_000, null, 'stderr')];
    writeOldLayout(dir, all);
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    assert.deepEqual(await store.readLogLines(1, { offset: 1_990, limit: 20 }), {
      lines: all.slice(1_990, 2_010),
      total: 3_000,
    });
    let batches = 0;
    while ((await store.sealLogBacklog(1_000)) > 0) {
      batches++;
      assert.deepEqual(await store.readLogLines(1, { offset: 0, limit: 5_000 }), { lines: all, total: 3_000 });
      assert.deepEqual(await store.readLogLines(1, { offset: 10, limit: 5, stream: 'stderr' }), {
        lines: all.slice(2_010, 2_015),
        total: 1_000,
      });
    }
    await store.close();
    assert.ok(batches >= 3, `${batches} batches`);
    const rows = countRows(dir);
    assert.equal(rows.lines, 0);
    assert.ok(rows.chunks >= 3, `${rows.chunks} chunks`);
  });

  it('seals the chunks an append completes from memory, leaving less than one chunk as rows, and none once sealed', async () => {
    const dir = mkdtempSync(join(root, 'live-'));
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    const { id } = await store.createExecution(newExecution(), 1);
    const all = logLines(1, 2_000, 0);
    for (let at = 0; at < all.length; at += 100) await store.appendLogLines(id, all.slice(at, at + 100));
    // Every 600 lines (half a chunk or more at the end of a batch) are sealed; lines 1801–2000 stay rows.
    assert.deepEqual(countRows(dir), { lines: 200, chunks: 3, filters: 3 });
    assert.equal(await store.sealLiveLogs(5_000), 0);
    assert.deepEqual(await store.readLogLines(id, { offset: 1_000, limit: 50 }), {
      lines: all.slice(1_000, 1_050),
      total: 2_000,
    });
    await store.sealLog(id);
    assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 5_000 }), { lines: all, total: 2_000 });
    await store.close();
    assert.deepEqual(countRows(dir), { lines: 0, chunks: 4, filters: 4 });
  });

  it('appends ten lines at a time as rows until a step change or half a chunk seals them, as one large append would', async () => {
    const dir = mkdtempSync(join(root, 'small-'));
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    const { id } = await store.createExecution(newExecution(), 1);
    // Six steps of 300 lines, then 200 more lines of a seventh.
    const all = logLines(1, 2_000, 0).map((line) => ({ ...line, step_index: Math.floor((line.line - 1) / 300) }));
    for (let at = 0; at < all.length; at += 10) await store.appendLogLines(id, all.slice(at, at + 10));
    assert.deepEqual(countRows(dir), { lines: 200, chunks: 6, filters: 6 }, 'each finished step is one chunk');
    assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 5_000 }), { lines: all, total: 2_000 });
    await store.close();
  });

  it('after a restart, reads a short live tail back once and goes on sealing from memory', async () => {
    const dir = mkdtempSync(join(root, 'restart-'));
    const first = await openSqliteStore({ storagePath: dir, ...settings });
    const { id } = await first.createExecution(newExecution(), 1);
    const all = [...logLines(1, 1_500, null), ...logLines(1_501, 1_600, 3)];
    await first.appendLogLines(id, all.slice(0, 1_000));
    await first.appendLogLines(id, all.slice(1_000, 1_200));
    await first.close();
    assert.deepEqual(countRows(dir), { lines: 200, chunks: 1, filters: 1 });
    const second = await openSqliteStore({ storagePath: dir, ...settings });
    await second.appendLogLines(id, all.slice(1_200, 1_550));
    // Lines 1001–1500 complete a chunk at the step change; 1501–1550 stay as rows.
    assert.deepEqual(countRows(dir), { lines: 50, chunks: 2, filters: 2 });
    await second.appendLogLines(id, all.slice(1_550));
    assert.deepEqual(await second.readLogLines(id, { offset: 0, limit: 5_000 }), { lines: all, total: 1_600 });
    await second.close();
  });

  it('leaves a live tail longer than a chunk to the rows and the sealer, then seals from memory again', async () => {
    const dir = mkdtempSync(join(root, 'long-tail-'));
    const all = logLines(1, 3_100, null);
    writeOldLayout(dir, all.slice(0, 2_000));
    const old = new Database(join(dir, SQLITE_DATABASE_FILE));
    old.prepare("UPDATE executions SET status = 'running', completed_at = NULL").run();
    old.close();
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    await store.appendLogLines(1, all.slice(2_000, 2_100));
    assert.deepEqual(countRows(dir), { lines: 2_100, chunks: 0, filters: 0 });
    while ((await store.sealLiveLogs(5_000)) > 0);
    assert.deepEqual(countRows(dir), { lines: 52, chunks: 2, filters: 2 });
    await store.appendLogLines(1, all.slice(2_100, 2_400));
    assert.deepEqual(countRows(dir), { lines: 352, chunks: 2, filters: 2 });
    await store.appendLogLines(1, all.slice(2_400));
    assert.deepEqual(countRows(dir), { lines: 0, chunks: 4, filters: 4 });
    assert.deepEqual(await store.readLogLines(1, { offset: 0, limit: 5_000 }), { lines: all, total: 3_100 });
    await store.close();
  });

  it('forgets a failed append: nothing of it is stored and the next append still seals correctly', async () => {
    const dir = mkdtempSync(join(root, 'failed-'));
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    const { id } = await store.createExecution(newExecution(), 1);
    const all = logLines(1, 1_100, null);
    await store.appendLogLines(id, all.slice(0, 500));
    // Line 500 again: the primary key refuses the batch, whose first line does not continue the tail either.
    await assert.rejects(store.appendLogLines(id, all.slice(499, 1_030)));
    await store.appendLogLines(id, all.slice(500));
    assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 5_000 }), { lines: all, total: 1_100 });
    assert.deepEqual(countRows(dir), { lines: 0, chunks: 2, filters: 2 });
    await store.close();
  });

  it('keeps exactly one trigram filter per chunk through a retention cut inside a chunk and a delete', async () => {
    const dir = mkdtempSync(join(root, 'filters-'));
    const store = await openSqliteStore({ storagePath: dir, ...settings });
    const ids = [
      (await store.createExecution(newExecution(), 1)).id,
      (await store.createExecution(newExecution(), 2)).id,
    ];
    for (const id of ids) {
      await store.appendLogLines(id, logLines(1, 3_000, null));
      await store.sealLog(id);
    }
    await store.deleteLogLines(ids[0] as number, 1_500);
    assert.deepEqual(countRows(dir), { lines: 0, chunks: 5, filters: 5 });
    await store.deleteExecution(ids[1] as number);
    assert.deepEqual(countRows(dir), { lines: 0, chunks: 2, filters: 2 });
    await store.close();
  });
});
