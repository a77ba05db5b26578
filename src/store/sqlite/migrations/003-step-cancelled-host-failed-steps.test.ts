// Tests migration 3 on a database written by migrations 1 and 2: steps rebuilt with their data, ids and artifact links kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations } from '../apply-migrations.js';
import { migration001Initial } from './001-initial.js';
import { migration002Auth } from './002-auth.js';
import { migration003StepCancelledHostFailedSteps } from './003-step-cancelled-host-failed-steps.js';

const dir = mkdtempSync(join(tmpdir(), 'stepflow-migration-003-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A version-2 database file with foreign keys on (as StepFlow opens it): a cancelled run, a completed run with a failed step, an artifact of a step. */
function openVersion2(): Database.Database {
  const db = new Database(join(dir, `v2-${Math.random().toString(36).slice(2)}.db`));
  db.pragma('foreign_keys = ON');
  applyMigrations(db, [migration001Initial, migration002Auth]);
  const execution =
    db.prepare(`INSERT INTO executions (name, command, command_text, working_directory, environment, tags, metadata, status, created_at)
    VALUES (?, '"x"', 'x', '/', '{}', '[]', '{}', ?, 1)`);
  const step =
    db.prepare(`INSERT INTO steps (execution_id, idx, name, status, error_message, created_at, stop_on_error, metadata)
    VALUES (?, ?, ?, ?, ?, 1, 0, '{}')`);
  execution.run('cancelled-run', 'cancelled');
  execution.run('completed-run', 'completed');
  step.run(1, 0, 'build', 'completed', null);
  step.run(1, 1, 'test', 'failed', 'cancelled');
  step.run(2, 0, 'lint', 'failed', 'exited with code 1');
  step.run(2, 1, 'deploy', 'completed', null);
  step.run(2, 2, 'gone', 'completed', null);
  db.prepare('DELETE FROM steps WHERE id = 5').run();
  db.prepare(
    `INSERT INTO artifacts (execution_id, step_id, name, file_path, file_name, file_size, mime_type, artifact_type, created_at, tags, is_public)
    VALUES (2, 3, 'lint.txt', '2/lint.txt', 'lint.txt', 1, 'text/plain', 'log', 1, '[]', 0)`,
  ).run();
  return db;
}

describe('migration 3', () => {
  it('keeps every step with its id, names the interrupted one cancelled and counts failed steps', () => {
    const db = openVersion2();
    applyMigrations(db, [migration001Initial, migration002Auth, migration003StepCancelledHostFailedSteps]);
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    const steps = db.prepare('SELECT id, execution_id, name, status, error_message FROM steps ORDER BY id').all();
    assert.deepEqual(steps, [
      { id: 1, execution_id: 1, name: 'build', status: 'completed', error_message: null },
      { id: 2, execution_id: 1, name: 'test', status: 'cancelled', error_message: 'cancelled' },
      { id: 3, execution_id: 2, name: 'lint', status: 'failed', error_message: 'exited with code 1' },
      { id: 4, execution_id: 2, name: 'deploy', status: 'completed', error_message: null },
    ]);
    assert.deepEqual(db.prepare('SELECT id, failed_steps, host FROM executions ORDER BY id').all(), [
      { id: 1, failed_steps: 0, host: null },
      { id: 2, failed_steps: 1, host: null },
    ]);
    db.close();
  });

  it('keeps artifact links to steps and never reuses a deleted step id', () => {
    const db = openVersion2();
    applyMigrations(db, [migration001Initial, migration002Auth, migration003StepCancelledHostFailedSteps]);
    assert.equal(db.prepare('SELECT step_id FROM artifacts').pluck().get(), 3);
    db.prepare(
      `INSERT INTO steps (execution_id, idx, name, status, created_at, stop_on_error, metadata) VALUES (2, 5, 'next', 'cancelled', 1, 0, '{}')`,
    ).run();
    assert.equal(db.prepare("SELECT id FROM steps WHERE name = 'next'").pluck().get(), 6);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    db.close();
  });

  it('refuses a status outside the step statuses, as before', () => {
    const db = openVersion2();
    applyMigrations(db, [migration001Initial, migration002Auth, migration003StepCancelledHostFailedSteps]);
    assert.throws(() => db.prepare(`UPDATE steps SET status = 'exploded' WHERE id = 1`).run(), /CHECK/);
    db.close();
  });
});
