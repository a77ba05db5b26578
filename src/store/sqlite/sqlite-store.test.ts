// Runs the store contract against a real SQLite file, plus checks only SQLite has: pragmas, migrations, reopen, bulk append.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LogLine, LogStream } from '../../core/log-line.js';
import { newExecution } from '../store-contract-fixtures.js';
import { describeStoreContract } from '../store-contract.js';
import { applyMigrations, SQLITE_MIGRATIONS } from './apply-migrations.js';
import { configureSqliteConnection } from './configure-sqlite-connection.js';
import { openSqliteStore, SQLITE_DATABASE_FILE } from './open-sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepflow-sqlite-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const settings = { cacheSizeKib: 2048, walAutocheckpoint: 500 };

/** A fresh storage directory path (not yet created) under the suite's temp root. */
function freshDir(): string {
  counter += 1;
  return join(root, `store-${counter}`, 'nested');
}

describeStoreContract(
  'sqlite',
  async () => {
    const storagePath = freshDir();
    const store = await openSqliteStore({ storagePath, ...settings });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(storagePath, { recursive: true, force: true });
      },
    };
  },
  { sealsOnAppend: true },
);

describe('openSqliteStore', () => {
  it('creates the directory and a WAL-mode stepflow.db with the configured cache', async () => {
    const storagePath = freshDir();
    const store = await openSqliteStore({ storagePath, ...settings });
    const figures = await store.figures();
    assert.equal(figures.backend, 'sqlite');
    assert.ok(figures.backend === 'sqlite' && figures.page_size > 0 && figures.wal_bytes >= 0);
    assert.equal(figures.journal_mode, 'wal');
    assert.equal(figures.cache_size, -2048);
    await store.close();
    await store.close();
    const raw = new Database(join(storagePath, SQLITE_DATABASE_FILE), { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('user_version', { simple: true }), SQLITE_MIGRATIONS.at(-1)?.version);
    raw.close();
  });

  it('keeps data across a close and reopen, and does not re-run migrations', async () => {
    const storagePath = freshDir();
    const first = await openSqliteStore({ storagePath, ...settings });
    const { id } = await first.createExecution(newExecution({ command: ['a', 'b'], tags: ['x'] }), 7);
    await first.appendLogLines(id, bulkLines(300));
    await first.close();
    const second = await openSqliteStore({ storagePath, ...settings });
    assert.deepEqual((await second.getExecution(id))?.command, ['a', 'b']);
    assert.equal((await second.listExecutions({ limit: 10, offset: 0, tag: 'x' })).total_count, 1);
    assert.equal(await second.lastLogLine(id), 300);
    await second.close();
  });

  it('refuses a negative cache size instead of writing it into a pragma', async () => {
    await assert.rejects(
      openSqliteStore({ storagePath: freshDir(), cacheSizeKib: -1, walAutocheckpoint: 1000 }),
      /cacheSizeKib/,
    );
  });
});

describe('configureSqliteConnection', () => {
  it('sets every pragma StepFlow relies on', () => {
    const storagePath = freshDir();
    mkdirSync(storagePath, { recursive: true });
    const db = new Database(join(storagePath, 'pragmas.db'));
    configureSqliteConnection(db, { cacheSizeKib: 4096, walAutocheckpoint: 1000 });
    const read = (name: string): unknown => db.pragma(name, { simple: true });
    assert.deepEqual(
      [
        'journal_mode',
        'synchronous',
        'cache_size',
        'temp_store',
        'mmap_size',
        'wal_autocheckpoint',
        'foreign_keys',
        'busy_timeout',
      ].map(read),
      ['wal', 1, -4096, 2, 268435456, 1000, 1, 5000],
    );
    db.close();
  });
});

describe('applyMigrations', () => {
  it('applies each migration once and is a no-op on an up-to-date database', () => {
    const db = new Database(':memory:');
    assert.deepEqual(
      applyMigrations(db),
      SQLITE_MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual(applyMigrations(db), []);
    db.close();
  });

  it('refuses a database written by a newer schema', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    assert.throws(() => applyMigrations(db), /newer/);
    db.close();
  });
});

describe('appendLogLines on SQLite', () => {
  it('stores a 10,000-line append exactly', async () => {
    const store = await openSqliteStore({ storagePath: freshDir(), ...settings });
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
    const store = await openSqliteStore({ storagePath: freshDir(), ...settings });
    const { id } = await store.createExecution(newExecution(), 1);
    await store.appendLogLines(id, bulkLines(150));
    const overlapping = bulkLines(300).slice(140);
    await assert.rejects(store.appendLogLines(id, overlapping), /UNIQUE|PRIMARY KEY|constraint/i);
    assert.equal(await store.lastLogLine(id), 150);
    await store.close();
  });

  it('rejects lines for an execution that does not exist', async () => {
    const store = await openSqliteStore({ storagePath: freshDir(), ...settings });
    await assert.rejects(store.appendLogLines(77, bulkLines(3)), /FOREIGN KEY/);
    await store.close();
  });
});

/** Lines 1..count with mixed streams, steps and awkward content. */
function bulkLines(count: number): LogLine[] {
  const streams: LogStream[] = ['stdout', 'stdout', 'stderr', 'system'];
  return Array.from({ length: count }, (_, i) => ({
    line: i + 1,
    ts: 1_700_000_000_000 + i,
    stream: streams[i % streams.length] as LogStream,
    step_index: i % 7 === 0 ? null : Math.floor(i / 1_000),
    content: i % 11 === 0 ? '' : `line ${i + 1} ünï "quoted" \\ ${'x'.repeat(i % 90)}`,
  }));
}
