// Unit tests of the unfiltered execution page: the same rows, field for field, as the Kysely query it replaces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { ExecutionFilter } from '../store.js';
import { newExecution } from '../store-contract-fixtures.js';
import { applyMigrations } from './apply-migrations.js';
import { ExecutionPageStatements } from './execution-page-statements.js';
import { orderExecutions } from './order-executions.js';
import { SqliteExecutions } from './sqlite-executions.js';
import { SqliteConnection } from './sqlite-connection.js';

function seededRunner(): SqliteConnection {
  const db = new Database(':memory:');
  applyMigrations(db);
  const runner = new SqliteConnection(db);
  const executions = new SqliteExecutions(runner);
  for (let i = 0; i < 7; i++) {
    const input = newExecution({
      name: `run ${(i * 3) % 7}`,
      command: i % 2 === 0 ? `echo ${i}` : ['sh', '-c', `exit ${i}`],
      environment: { TOKEN: `t${i}` },
      tags: [`tag${i}`],
      metadata: { i },
      user: i % 3 === 0 ? null : `user${i}`,
      timeout_seconds: i % 2 === 0 ? null : i * 1.5,
    });
    const record = executions.create(input, 1_700_000_000_000 + i * 1000);
    // Every column gets a value that differs per row, so a column read from the wrong place shows.
    executions.update(record.id, {
      status: i % 2 === 0 ? 'completed' : 'failed',
      exit_code: i,
      error_message: i % 2 === 0 ? null : `error ${i}`,
      started_at: record.created_at + i,
      completed_at: i === 3 ? null : record.created_at + 100 * i,
      total_steps: i + 1,
      completed_steps: i,
      current_step_index: i % 2 === 0 ? null : i,
      pid: 1000 + i,
    });
  }
  return runner;
}

describe('ExecutionPageStatements.page', () => {
  it('reads the same rows as SELECT * through Kysely, for every order and page', () => {
    const runner = seededRunner();
    const pages = new ExecutionPageStatements(runner.db, runner.builder);
    for (const sort of [undefined, 'created_at', 'name', 'status', 'user', 'duration'] as const) {
      for (const order of [undefined, 'asc', 'desc'] as const) {
        for (const [limit, offset] of [
          [10, 0],
          [3, 2],
          [2, 6],
          [5, 9],
        ] as const) {
          const filter: ExecutionFilter = { limit, offset, sort, order };
          const expected = runner.all(
            orderExecutions(runner.builder.selectFrom('executions').selectAll(), filter).limit(limit).offset(offset),
          );
          assert.deepEqual(pages.page(filter), expected, `sort ${sort} order ${order} limit ${limit} offset ${offset}`);
        }
      }
    }
  });

  it('sees rows written after its statement was prepared', () => {
    const runner = seededRunner();
    const pages = new ExecutionPageStatements(runner.db, runner.builder);
    assert.equal(pages.page({ limit: 1, offset: 0 })[0]?.name, 'run 4');
    new SqliteExecutions(runner).create(newExecution({ name: 'newest' }), 1_800_000_000_000);
    assert.equal(pages.page({ limit: 1, offset: 0 })[0]?.name, 'newest');
  });
});
