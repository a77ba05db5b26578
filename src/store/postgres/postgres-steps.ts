// Owns step rows in PostgreSQL: upsert by (execution, index) and listing in index order.
import type { Kysely } from 'kysely';
import type { StepRecord, StepState } from '../../core/step.js';
import { toPgStepRecord, toPgStepRow } from './postgres-row-mappers.js';
import type { PgTables } from './postgres-tables.js';

/** Step persistence over a PostgreSQL pool. */
export class PostgresSteps {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Inserts the step or updates the one with the same index; returns it with its id. */
  async save(executionId: number, step: StepState): Promise<StepRecord> {
    const row = toPgStepRow(executionId, step);
    const { execution_id: _executionId, idx: _idx, ...changing } = row;
    const parent = step.parent_index;
    // The parent was saved before its child (the engine opens it first), so its row id is there to look up.
    const parentId =
      parent === null
        ? null
        : this.#db.selectFrom('steps').select('id').where('execution_id', '=', executionId).where('idx', '=', parent);
    const saved = await this.#db
      .insertInto('steps')
      .values({ ...row, parent_id: parentId })
      .onConflict((oc) => oc.columns(['execution_id', 'idx']).doUpdateSet(changing))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPgStepRecord(saved);
  }

  /** The execution's steps in index order. */
  async list(executionId: number): Promise<StepRecord[]> {
    const rows = await this.#db
      .selectFrom('steps')
      .selectAll()
      .where('execution_id', '=', executionId)
      .orderBy('idx', 'asc')
      .execute();
    return rows.map(toPgStepRecord);
  }
}
