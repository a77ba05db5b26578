// A database written before log chunks, opened by this server: logs read unchanged while it serves, sealed into chunks in the background; new runs sealed as they end.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { WireSearchPage } from '../../src/core/wire-types.js';
import { applyMigrations, SQLITE_MIGRATIONS } from '../../src/store/sqlite/apply-migrations.js';
import { startServer, waitUntil, type TestServer } from './harness.js';

const LINES = 6_000;

/** Schema version 2 with one completed execution whose 6,000 lines are log_lines rows, as StepFlow stored them then. */
function writeOldDatabase(storage: string): void {
  const db = new Database(join(storage, 'stepflow.db'));
  db.pragma('journal_mode = WAL');
  applyMigrations(
    db,
    SQLITE_MIGRATIONS.filter((m) => m.version <= 2),
  );
  db.prepare(
    "INSERT INTO executions (id, name, command, command_text, working_directory, environment, tags, metadata, status, exit_code, created_at, started_at, completed_at, total_steps, completed_steps) VALUES (1, 'before chunks', '[\"build.sh\"]', 'build.sh', '/', '{}', '[]', '{}', 'completed', 0, 1764500000000, 1764500000000, 1764500060000, 1, 1)",
  ).run();
  db.prepare(
    "INSERT INTO steps (execution_id, idx, name, status, created_at, stop_on_error, metadata, first_line, last_line) VALUES (1, 0, 'build', 'completed', 1764500000000, 1, '{}', 2, 5999)",
  ).run();
  const insert = db.prepare(
    'INSERT INTO log_lines (execution_id, line, ts, stream, step_index, content) VALUES (1, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let line = 1; line <= LINES; line++) {
      const content = line === 4_321 ? 'Error: connect ECONNREFUSED 127.0.0.1:5432' : `old line ${line}`;
      insert.run(line, 1764500000000 + line, line % 7 === 0 ? 1 : 0, line === 1 || line === LINES ? null : 0, content);
    }
  })();
  db.close();
}

function rowsLeft(storage: string, executionId?: number): { lines: number; chunks: number } {
  const db = new Database(join(storage, 'stepflow.db'), { readonly: true });
  try {
    const where = executionId === undefined ? '' : ` WHERE execution_id = ${executionId}`;
    const count = (table: string): number =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}${where}`).get() as { n: number }).n;
    return { lines: count('log_lines'), chunks: count('log_chunks') };
  } finally {
    db.close();
  }
}

describe('opening a database from before log chunks', () => {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-old-db-'));
  let server: TestServer;
  before(async () => {
    writeOldDatabase(storage);
    server = await startServer({}, storage);
  });
  after(async () => {
    await server?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('serves the old log unchanged, seals it into chunks in the background, and finds its lines', async () => {
    const page = await server.request<{ lines: { line: number; content: string }[]; total_lines: number }>(
      'GET',
      '/api/executions/1/logs?offset=4320&limit=2',
    );
    assert.deepEqual(
      [page.body.data?.total_lines, page.body.data?.lines.map((l) => l.content)],
      [LINES, ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'old line 4322']],
    );
    await waitUntil('the old log sealed into chunks', async () => (rowsLeft(storage).lines === 0 ? true : undefined));
    assert.ok(rowsLeft(storage).chunks >= 6);
    const lines = await server.allLines(1);
    assert.deepEqual(
      [lines.length, lines[0]?.content, lines[4_320]?.content, lines.at(-1)?.line],
      [LINES, 'old line 1', 'Error: connect ECONNREFUSED 127.0.0.1:5432', LINES],
    );
    const stderr = await server.request<{ lines: unknown[]; total_lines: number }>(
      'GET',
      '/api/executions/1/logs?stream=stderr&limit=1',
    );
    assert.equal(stderr.body.data?.total_lines, Math.floor(LINES / 7));
    const found = (await server.request<WireSearchPage>('GET', '/api/search?q=econnrefused')).body.data;
    assert.deepEqual(
      found?.executions.map((hit) => [hit.execution.id, hit.matches[0]?.line.line, hit.matches[0]?.step_name]),
      [['1', 4_321, 'build']],
    );
  });

  it("seals a new run's whole log once it ends, its last partial chunk included", async () => {
    const id = await server.create({ command: ['sh', 'print-rare-error.sh', 'fail', '2500'] });
    await server.waitForEnd(id);
    await waitUntil('the ended log sealed', async () => (rowsLeft(storage, Number(id)).lines === 0 ? true : undefined));
    assert.equal(rowsLeft(storage, Number(id)).chunks, 3);
    const lines = await server.allLines(id);
    assert.deepEqual([lines.length, lines[2_501]?.content], [2_602, 'Error: read \x1b[31mECONNRESET\x1b[0m']);
  });
});
