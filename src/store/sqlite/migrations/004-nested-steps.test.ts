// Tests migration 4 on a database written by migrations 1 to 3: old executions and steps read as flat, StepFlow-marker runs without annotations.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations } from '../apply-migrations.js';
import { openSqliteStore, SQLITE_DATABASE_FILE } from '../open-sqlite-store.js';
import { migration001Initial } from './001-initial.js';
import { migration002Auth } from './002-auth.js';
import { migration003StepCancelledHostFailedSteps } from './003-step-cancelled-host-failed-steps.js';

const dir = mkdtempSync(join(tmpdir(), 'stepflow-migration-004-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A storage directory whose database is at version 3, holding one finished execution with one step. */
function writeVersion3(): string {
  const storage = join(dir, `v3-${Math.random().toString(36).slice(2)}`);
  mkdirSync(storage);
  const db = new Database(join(storage, SQLITE_DATABASE_FILE));
  applyMigrations(db, [migration001Initial, migration002Auth, migration003StepCancelledHostFailedSteps]);
  db.prepare(
    `INSERT INTO executions (name, command, command_text, working_directory, environment, tags, metadata, status, created_at)
    VALUES ('old', '"x"', 'x', '/', '{}', '[]', '{}', 'completed', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO steps (execution_id, idx, name, status, created_at, stop_on_error, metadata) VALUES (1, 0, 'build', 'completed', 1, 0, '{}')`,
  ).run();
  db.close();
  return storage;
}

describe('migration 4', () => {
  it('reads an older execution as StepFlow-marker output with no annotations and its steps as top-level, unfolded, without progress', async () => {
    const store = await openSqliteStore({ storagePath: writeVersion3(), cacheSizeKib: 1024, walAutocheckpoint: 1000 });
    const execution = await store.getExecution(1);
    assert.deepEqual([execution?.markers, execution?.annotation_counts], [null, { error: 0, warning: 0, notice: 0 }]);
    const [step] = await store.listSteps(1);
    assert.deepEqual(
      [step?.parent_id, step?.parent_index, step?.depth, step?.collapsed, step?.progress, step?.progress_message],
      [null, null, 0, false, null, null],
    );
    assert.deepEqual(await store.listAnnotations(1, { limit: 10, offset: 0 }), { annotations: [], kept_count: 0 });
    assert.deepEqual(await store.listStepSummaries(1), []);
    await store.close();
  });

  it('lets an older execution take annotations and summaries and deletes them with it', async () => {
    const store = await openSqliteStore({ storagePath: writeVersion3(), cacheSizeKib: 1024, walAutocheckpoint: 1000 });
    await store.saveAnnotation(
      1,
      {
        level: 'warning',
        message: 'late',
        file: null,
        line: null,
        col: null,
        end_line: null,
        end_col: null,
        title: null,
        step_index: 0,
        log_line: 1,
        at: 2,
      },
      true,
    );
    await store.saveStepSummary(1, { step_index: 0, markdown: '# late', truncated: false });
    assert.equal((await store.getExecution(1))?.annotation_counts?.warning, 1);
    assert.equal(await store.deleteExecution(1), true);
    assert.equal((await store.listAnnotations(1, { limit: 10, offset: 0 })).kept_count, 0);
    assert.deepEqual(await store.listStepSummaries(1), []);
    await store.close();
  });
});
