// `stepflow migrate --from <dir> --to postgres://…`: a real SQLite history copied into a real PostgreSQL, counts checked, resumed after an interruption.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { LogLine } from '../../src/core/log-line.js';
import { openKeyManager } from '../../src/open-key-manager.js';
import { hashSecret } from '../../src/service/auth/auth-service.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase } from '../../src/store/postgres/create-test-database.js';
import { openPostgresStore } from '../../src/store/postgres/open-postgres-store.js';
import { newArtifact, newExecution, newStep } from '../../src/store/store-contract-fixtures.js';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { stepflow } from './cli-process.js';

const database = await createTestDatabase('migrate');

/** Everything a reader sees of the history, store by store, so the two can be compared whole. */
async function snapshot(store: Store): Promise<unknown> {
  const executions = (await store.listExecutions({ limit: 100, offset: 0, order: 'asc' })).executions;
  const details = [];
  for (const e of executions) {
    details.push({
      e,
      steps: await store.listSteps(e.id),
      log: await store.readLogLines(e.id, { offset: 0, limit: 10_000 }),
      artifacts: await store.listArtifacts({ execution_id: e.id, limit: 100, offset: 0 }),
      annotations: await store.listAnnotations(e.id, { limit: 100, offset: 0 }),
      summaries: await store.listStepSummaries(e.id),
    });
  }
  return {
    details,
    keys: await store.listApiKeys(),
    audit: await store.listAudit({ limit: 100, offset: 0 }),
    stats: await store.statistics(),
  };
}

if ('skip' in database) {
  it('stepflow migrate', { skip: database.skip }, () => {});
} else {
  describe('stepflow migrate', () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-migrate-'));
    let expected: unknown;
    before(async () => {
      const store = await openSqliteStore({ storagePath: storage, cacheSizeKib: 1024, walAutocheckpoint: 1000 });
      for (let i = 0; i < 3; i++) {
        const { id } = await store.createExecution(
          newExecution({ name: `run ${i}`, tags: ['nightly', `t${i}`], command: ['sh', '-c', `echo ${i}`] }),
          1_000 + i,
        );
        const step = await store.saveStep(
          id,
          newStep(0, { first_line: 1, last_line: 2_500, stop_on_error: i % 2 === 0 }),
        );
        await store.saveStep(
          id,
          newStep(1, { parent_index: 0, depth: 1, collapsed: i === 2, progress: 42.5, progress_message: 'half' }),
        );
        await store.saveAnnotation(
          id,
          {
            level: 'error',
            message: 'bad',
            file: 'src/a.ts',
            line: 3,
            col: 1,
            end_line: null,
            end_col: null,
            title: 'Lint',
            step_index: 1,
            log_line: 2,
            at: 5,
          },
          true,
        );
        await store.saveAnnotation(
          id,
          {
            level: 'notice',
            message: 'past the bound',
            file: null,
            line: null,
            col: null,
            end_line: null,
            end_col: null,
            title: null,
            step_index: null,
            log_line: 3,
            at: 6,
          },
          false,
        );
        await store.saveStepSummary(id, { step_index: 0, markdown: `# run ${i}`, truncated: i === 1 });
        const lines: LogLine[] = Array.from({ length: 2_500 }, (_, n) => ({
          line: n + 1,
          ts: n,
          stream: n % 3 === 0 ? 'stderr' : 'stdout',
          step_index: 0,
          content: n === 7 ? 'nul\0here' : `line ${n + 1}`,
        }));
        await store.appendLogLines(id, lines);
        await store.createArtifact(newArtifact(id, { step_id: step.id, is_public: i === 1 }));
        await store.updateExecution(id, {
          status: 'completed',
          started_at: 2_000,
          completed_at: 3_000 + i,
          failed_steps: i,
          host: 'old-box',
        });
        // Two logs sealed into chunks, as the server's sealer leaves them; the third still in rows.
        if (i < 2) await store.sealLog(id);
      }
      await store.createApiKey({ name: 'ci', role: 'operator', key_hash: 'a'.repeat(64), created_at: 5 });
      await store.createSession({
        token_hash: 'b'.repeat(64),
        key_hash: 'a'.repeat(64),
        created_at: 6,
        expires_at: 9_999_999_999_999,
      });
      await store.appendAudit({
        at: 7,
        actor: 'cli',
        action: 'key_create',
        execution_id: null,
        detail: { name: 'ci' },
      });
      expected = await snapshot(store);
      await store.close();
    });
    after(async () => {
      await database.drop();
      rmSync(storage, { recursive: true, force: true });
    });

    it('copies every table and prints matching counts', async () => {
      const run = await stepflow(['migrate', '--from', storage, '--to', database.url]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^log_lines\s+sqlite 7500\s+postgres 7500$/m);
      assert.doesNotMatch(run.stdout, /MISMATCH/);
      const store = await openPostgresStore({ url: database.url, poolSize: 2 });
      assert.deepEqual(await snapshot(store), expected);
      assert.equal((await store.findSession('b'.repeat(64), 0))?.key_hash, 'a'.repeat(64));
      // New rows get ids past the copied ones.
      assert.equal((await store.createExecution(newExecution(), 9)).id, 4);
      await store.deleteExecution(4);
      await store.close();
    });

    it('resumes an interrupted copy without duplicating anything', async () => {
      const sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
      // What an interruption in the middle of the log lines leaves: part of one log, nothing after it.
      await sql.query('DELETE FROM log_lines WHERE execution_id >= 2 AND line > 1200');
      await sql.query('DELETE FROM audit_log');
      await sql.end();
      const run = await stepflow(['migrate', '--from', storage, '--to', database.url]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /log_lines: 2600 rows copied/);
      const store = await openPostgresStore({ url: database.url, poolSize: 2 });
      assert.deepEqual(await snapshot(store), expected);
      await store.close();
    });

    it('lets `stepflow keys` manage the keys in PostgreSQL when a database URL is configured', async () => {
      const manager = await openKeyManager({
        storagePath: storage,
        cacheSizeKib: 1024,
        walAutocheckpoint: 1000,
        databaseUrl: database.url,
      });
      const { key, record } = await manager.create('deploy', 'admin');
      await manager.close();
      const store = await openPostgresStore({ url: database.url, poolSize: 1 });
      assert.equal((await store.findApiKey(hashSecret(key)))?.id, record.id);
      await store.close();
    });

    it('refuses a --to that is not PostgreSQL, and a directory without a database, in one line each', async () => {
      const bad = await stepflow(['migrate', '--from', storage, '--to', 'mysql://u:secret@db/x']);
      assert.deepEqual(
        [bad.code, bad.stderr],
        [2, 'stepflow: --to must be a postgres:// URL, got mysql://u:***@db/x\n'],
      );
      const empty = mkdtempSync(join(tmpdir(), 'stepflow-migrate-empty-'));
      const missing = await stepflow(['migrate', '--from', empty, '--to', database.url]);
      rmSync(empty, { recursive: true, force: true });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^stepflow: no StepFlow database at .*stepflow\.db\n$/m);
    });
  });
}
