// Owns the two log layouts the log-store benchmark compares: chunks (the store as shipped) and one row per line (before chunks).
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LogLine } from '../../src/core/log-line.js';
import { applyMigrations, SQLITE_MIGRATIONS } from '../../src/store/sqlite/apply-migrations.js';
import { configureSqliteConnection } from '../../src/store/sqlite/configure-sqlite-connection.js';
import { openSqliteStore, SQLITE_DATABASE_FILE } from '../../src/store/sqlite/open-sqlite-store.js';
import { SqliteLogTail } from '../../src/store/sqlite/sqlite-log-tail.js';
import { SqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import type { LogPage, LogQuery, Store } from '../../src/store/store.js';

/** What the benchmark does to either layout. */
export interface LogLayout {
  storage: string;
  createRun(name: string): Promise<number>;
  append(id: number, lines: readonly LogLine[]): Promise<void>;
  /** Marks the run ended (chunks: seals its tail). */
  end(id: number): Promise<void>;
  read(id: number, query: LogQuery): Promise<LogPage>;
  /** Closes (checkpointing the WAL) and returns the bytes of stepflow.db on disk. */
  closeAndMeasure(): Promise<number>;
}

const SETTINGS = { cacheSizeKib: 65_536, walAutocheckpoint: 1000 };

function fileBytes(storage: string): number {
  const size = (name: string): number => {
    try {
      return statSync(join(storage, name)).size;
    } catch {
      return 0;
    }
  };
  return size(SQLITE_DATABASE_FILE) + size(`${SQLITE_DATABASE_FILE}-wal`);
}

/**
 * The store as shipped: appends seal the chunks their batches complete (the background sealer of the server only
 * handles tails not known in memory), and a run's end seals the rest of its log.
 */
export async function openChunkLayout(): Promise<LogLayout & { store: Store }> {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-bench-chunks-'));
  const store = await openSqliteStore({ storagePath: storage, ...SETTINGS });
  return {
    storage,
    store,
    async createRun(name) {
      return (
        await store.createExecution(
          {
            name,
            command: ['true'],
            working_directory: '/',
            environment: {},
            tags: [],
            metadata: {},
            user: null,
            timeout_seconds: null,
            runs_on: [],
          },
          Date.now(),
        )
      ).id;
    },
    async append(id, lines) {
      await store.appendLogLines(id, lines);
    },
    async end(id) {
      await store.updateExecution(id, { status: 'completed', completed_at: Date.now() });
      await store.sealLog(id);
    },
    read: (id, query) => store.readLogLines(id, query),
    async closeAndMeasure() {
      await store.close();
      return fileBytes(storage);
    },
  };
}

/** The layout before chunks: schema version 4, one log_lines row per line, written and read by the same statements as then. */
export function openRowLayout(): LogLayout {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-bench-rows-'));
  const db = new Database(join(storage, SQLITE_DATABASE_FILE));
  configureSqliteConnection(db, SETTINGS);
  applyMigrations(
    db,
    SQLITE_MIGRATIONS.filter((m) => m.version < 5),
  );
  const runner = new SqliteConnection(db);
  const rows = new SqliteLogTail(runner);
  const insert = db.transaction((id: number, lines: readonly LogLine[]) => rows.insert(id, lines));
  const create = db.prepare(
    "INSERT INTO executions (name, command, command_text, working_directory, environment, tags, metadata, status, created_at) VALUES (?, '[\"true\"]', 'true', '/', '{}', '[]', '{}', 'running', ?)",
  );
  return {
    storage,
    async createRun(name) {
      return Number(create.run(name, Date.now()).lastInsertRowid);
    },
    async append(id, lines) {
      insert(id, lines);
    },
    async end(id) {
      db.prepare("UPDATE executions SET status = 'completed', completed_at = ? WHERE id = ?").run(Date.now(), id);
    },
    async read(id, query) {
      // The unfiltered read of that version: lines after the offset by primary key, total = the last line.
      if (query.step_index === undefined && query.stream === undefined)
        return { lines: rows.linesAfter(id, query.offset, query.limit), total: rows.last(id) };
      return rows.read(id, query);
    },
    async closeAndMeasure() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      return fileBytes(storage);
    },
  };
}
