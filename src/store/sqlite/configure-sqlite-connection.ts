// Owns the per-connection SQLite settings: the old tool's pragmas (contract §4) plus our safety ones.
import type BetterSqlite3 from 'better-sqlite3';

/** Tunables of the connection, from Config. */
export interface SqliteConnectionSettings {
  /** Page cache size in KiB. */
  cacheSizeKib: number;
  /** WAL pages between automatic checkpoints. */
  walAutocheckpoint: number;
}

/** Puts the connection in WAL mode and applies every pragma StepFlow relies on; throws if WAL is refused. */
export function configureSqliteConnection(db: BetterSqlite3.Database, settings: SqliteConnectionSettings): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)})`);
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = ${-nonNegativeInteger(settings.cacheSizeKib, 'cacheSizeKib')}`);
  db.pragma('temp_store = MEMORY');
  db.pragma('mmap_size = 268435456');
  db.pragma(`wal_autocheckpoint = ${nonNegativeInteger(settings.walAutocheckpoint, 'walAutocheckpoint')}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Bounds ANALYZE (run by optimize()) to sampled rows so it stays quick on a large log table.
  db.pragma('analysis_limit = 1000');
}

/** The value itself when it is a non-negative integer; pragmas cannot take bound parameters. */
function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return value;
}
