// Owns the shape of one numbered SQLite schema migration.
import type BetterSqlite3 from 'better-sqlite3';

/** One schema step: `version` is its number (1, 2, …) and becomes PRAGMA user_version once applied. */
export interface SqliteMigration {
  version: number;
  name: string;
  up(db: BetterSqlite3.Database): void;
}
