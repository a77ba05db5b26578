// Owns opening the SQLite store: directory, database file, connection settings and migrations.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { applyMigrations } from './apply-migrations.js';
import { configureSqliteConnection, type SqliteConnectionSettings } from './configure-sqlite-connection.js';
import { SqliteStore } from './sqlite-store.js';

/** Settings the SQLite store needs from Config. */
export interface SqliteStoreOptions extends SqliteConnectionSettings {
  /** Directory for `stepflow.db`; created when missing. */
  storagePath: string;
}

/** File name of the database inside the storage directory. */
export const SQLITE_DATABASE_FILE = 'stepflow.db';

/** Opens (creating and migrating as needed) `<storagePath>/stepflow.db` as a Store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(options.storagePath, { recursive: true });
  const file = join(options.storagePath, SQLITE_DATABASE_FILE);
  const db = new Database(file, { timeout: 5000 });
  try {
    configureSqliteConnection(db, options);
    applyMigrations(db);
    return new SqliteStore(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
}
