// Owns step rows in SQLite: upsert by (execution, index) and listing in index order.
import type { StepRecord, StepState } from '../../core/step.js';
import { toStepRecord, toStepRow } from './sqlite-row-mappers.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** Step persistence over one SQLite connection. */
export class SqliteSteps {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Inserts the step or updates the one with the same index; returns it with its id. */
  save(executionId: number, step: StepState): StepRecord {
    const { execution_id: _executionId, idx: _idx, ...changing } = toStepRow(executionId, step);
    const parent = step.parent_index;
    // The parent was saved before its child (the engine opens it first), so its row id is there to look up.
    const parentId =
      parent === null
        ? null
        : this.#sqlite.builder
            .selectFrom('steps')
            .select('id')
            .where('execution_id', '=', executionId)
            .where('idx', '=', parent);
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .insertInto('steps')
        .values({ ...toStepRow(executionId, step), parent_id: parentId })
        .onConflict((oc) => oc.columns(['execution_id', 'idx']).doUpdateSet(changing))
        .returningAll(),
    );
    if (row === null) throw new Error('upsert … RETURNING gave no step row');
    return toStepRecord(row);
  }

  /** The execution's steps in index order. */
  list(executionId: number): StepRecord[] {
    const query = this.#sqlite.builder
      .selectFrom('steps')
      .selectAll()
      .where('execution_id', '=', executionId)
      .orderBy('idx', 'asc');
    return this.#sqlite.all(query).map(toStepRecord);
  }
}
