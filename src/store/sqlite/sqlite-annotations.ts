// Owns annotation rows and step summaries in SQLite: kept annotations with per-level counts on the execution, one summary per step.
import type { Annotation, AnnotationLevel, AnnotationRecord } from '../../core/annotation.js';
import type { StepSummary } from '../store.js';
import type { SqliteConnection } from './sqlite-connection.js';

const COUNT_COLUMN = {
  error: 'annotation_errors',
  warning: 'annotation_warnings',
  notice: 'annotation_notices',
} as const;

/** Annotation and step-summary persistence over one SQLite connection. */
export class SqliteAnnotations {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Counts the annotation on its execution and, when `kept`, stores it, in one transaction. */
  save(executionId: number, annotation: Annotation, kept: boolean): void {
    const { builder } = this.#sqlite;
    const column = COUNT_COLUMN[annotation.level];
    this.#sqlite.transaction(() => {
      this.#sqlite.run(
        builder
          .updateTable('executions')
          .set((eb) => ({ [column]: eb(column, '+', 1) }))
          .where('id', '=', executionId),
      );
      if (!kept) return;
      const { step_index: stepIndex, at, ...fields } = annotation;
      this.#sqlite.run(
        builder
          .insertInto('annotations')
          .values({ ...fields, execution_id: executionId, step_idx: stepIndex, created_at: at }),
      );
    });
  }

  /** The execution's kept annotations in the order reported, one page, with how many are kept in all. */
  list(executionId: number, limit: number, offset: number): { annotations: AnnotationRecord[]; kept_count: number } {
    const { builder } = this.#sqlite;
    const rows = this.#sqlite.all(
      builder
        .selectFrom('annotations')
        .selectAll()
        .where('execution_id', '=', executionId)
        .orderBy('id', 'asc')
        .limit(limit)
        .offset(offset),
    );
    const counted = this.#sqlite.first(
      builder
        .selectFrom('annotations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('execution_id', '=', executionId),
    );
    const annotations = rows.map(({ step_idx: stepIndex, created_at: at, level, ...row }) => ({
      ...row,
      level: level as AnnotationLevel,
      step_index: stepIndex,
      at,
    }));
    return { annotations, kept_count: Number(counted?.n ?? 0) };
  }

  /** Stores (or replaces) the Markdown summary of one step. */
  saveSummary(executionId: number, summary: StepSummary): void {
    const row = {
      execution_id: executionId,
      step_idx: summary.step_index,
      markdown: summary.markdown,
      truncated: summary.truncated ? 1 : 0,
    };
    this.#sqlite.run(
      this.#sqlite.builder
        .insertInto('step_summaries')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['execution_id', 'step_idx']).doUpdateSet({ markdown: row.markdown, truncated: row.truncated }),
        ),
    );
  }

  /** The execution's step summaries by step index. */
  listSummaries(executionId: number): StepSummary[] {
    const rows = this.#sqlite.all(
      this.#sqlite.builder
        .selectFrom('step_summaries')
        .selectAll()
        .where('execution_id', '=', executionId)
        .orderBy('step_idx', 'asc'),
    );
    return rows.map((row) => ({ step_index: row.step_idx, markdown: row.markdown, truncated: row.truncated === 1 }));
  }
}
