// Owns annotation rows and step summaries in PostgreSQL: kept annotations with per-level counts on the execution, one summary per step.
import type { Kysely } from 'kysely';
import type { Annotation, AnnotationLevel, AnnotationRecord } from '../../core/annotation.js';
import type { StepSummary } from '../store.js';
import type { PgTables } from './postgres-tables.js';

const COUNT_COLUMN = {
  error: 'annotation_errors',
  warning: 'annotation_warnings',
  notice: 'annotation_notices',
} as const;

/** Annotation and step-summary persistence over a PostgreSQL pool. */
export class PostgresAnnotations {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Counts the annotation on its execution and, when `kept`, stores it, in one transaction. */
  async save(executionId: number, annotation: Annotation, kept: boolean): Promise<void> {
    const column = COUNT_COLUMN[annotation.level];
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('executions')
        .set((eb) => ({ [column]: eb(column, '+', 1) }))
        .where('id', '=', executionId)
        .execute();
      if (!kept) return;
      const { step_index: stepIndex, at, ...fields } = annotation;
      await trx
        .insertInto('annotations')
        .values({ ...fields, execution_id: executionId, step_idx: stepIndex, created_at: at })
        .execute();
    });
  }

  /** The execution's kept annotations in the order reported, one page, with how many are kept in all. */
  async list(
    executionId: number,
    limit: number,
    offset: number,
  ): Promise<{ annotations: AnnotationRecord[]; kept_count: number }> {
    const [rows, counted] = await Promise.all([
      this.#db
        .selectFrom('annotations')
        .selectAll()
        .where('execution_id', '=', executionId)
        .orderBy('id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.#db
        .selectFrom('annotations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('execution_id', '=', executionId)
        .executeTakeFirst(),
    ]);
    const annotations = rows.map(({ step_idx: stepIndex, created_at: at, level, ...row }) => ({
      ...row,
      level: level as AnnotationLevel,
      step_index: stepIndex,
      at,
    }));
    return { annotations, kept_count: Number(counted?.n ?? 0) };
  }

  /** Stores (or replaces) the Markdown summary of one step. */
  async saveSummary(executionId: number, summary: StepSummary): Promise<void> {
    const row = {
      execution_id: executionId,
      step_idx: summary.step_index,
      markdown: summary.markdown,
      truncated: summary.truncated,
    };
    await this.#db
      .insertInto('step_summaries')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['execution_id', 'step_idx']).doUpdateSet({ markdown: row.markdown, truncated: row.truncated }),
      )
      .execute();
  }

  /** The execution's step summaries by step index. */
  async listSummaries(executionId: number): Promise<StepSummary[]> {
    const rows = await this.#db
      .selectFrom('step_summaries')
      .selectAll()
      .where('execution_id', '=', executionId)
      .orderBy('step_idx', 'asc')
      .execute();
    return rows.map((row) => ({ step_index: row.step_idx, markdown: row.markdown, truncated: row.truncated }));
  }
}
