// Owns the search worker thread's entry: opens the database read-only and streams the scan's messages to the server.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { LogSearchQuery } from '../store.js';
import { scanLogsForSearch } from './scan-logs-for-search.js';

const { file, query } = workerData as { file: string; query: Omit<LogSearchQuery, 'budget_ms'> };
// A separate read-only connection: WAL lets it read while the server writes, and the server's thread never runs the scan.
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  scanLogsForSearch(db, query, (message) => parentPort?.postMessage(message));
} finally {
  db.close();
}
