// Owns the PostgreSQL search worker thread's entry: one connection of its own, the scan's messages streamed to the server.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { LogSearchQuery } from '../store.js';
import { scanPostgresLogsForSearch } from './scan-postgres-logs-for-search.js';

const INT8_OID = 20;
const { url, query } = workerData as { url: string; query: Omit<LogSearchQuery, 'budget_ms'> };
// BIGINT as numbers, as the store's pool reads them; the server terminates this thread when the budget runs out.
const client = new pg.Client({
  connectionString: url,
  types: {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  },
});
await client.connect();
try {
  await scanPostgresLogsForSearch(client, query, (message) => parentPort?.postMessage(message));
} finally {
  await client.end();
}
