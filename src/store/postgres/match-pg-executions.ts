// Owns the PostgreSQL WHERE and ORDER BY of the execution list: filters (status, user, text, tag, dates) and sort keys.
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ExecutionFilter } from '../store.js';
import type { PgTables } from './postgres-tables.js';

/** An ILIKE pattern matching `text` literally anywhere, with `\` as the escape character. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The WHERE condition selecting the executions a filter asks for (ignores limit/offset and order). */
export function matchPgExecutions(
  eb: ExpressionBuilder<PgTables, 'executions'>,
  filter: ExecutionFilter,
): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (filter.status !== undefined) terms.push(eb('status', '=', filter.status));
  if (filter.user !== undefined) terms.push(eb('user', '=', filter.user));
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    terms.push(
      eb.or([
        sql<SqlBool>`${eb.ref('name')} ILIKE ${pattern} ESCAPE '\\'`,
        sql<SqlBool>`${eb.ref('command_text')} ILIKE ${pattern} ESCAPE '\\'`,
      ]),
    );
  }
  if (filter.tag !== undefined)
    terms.push(eb('id', 'in', eb.selectFrom('execution_tags').select('execution_id').where('tag', '=', filter.tag)));
  if (filter.created_after !== undefined) terms.push(eb('created_at', '>=', filter.created_after));
  if (filter.created_before !== undefined) terms.push(eb('created_at', '<', filter.created_before));
  return eb.and(terms);
}

type ExecutionSelect<O> = SelectQueryBuilder<PgTables, 'executions', O>;

/**
 * Orders a selection of executions as SQLite does: `created_at` by id, text by code point (COLLATE "C", names with
 * ASCII case folded like NOCASE), unset users and unfinished durations last, ties newest first.
 */
export function orderPgExecutions<O>(query: ExecutionSelect<O>, filter: ExecutionFilter): ExecutionSelect<O> {
  const direction = filter.order ?? 'desc';
  switch (filter.sort ?? 'created_at') {
    case 'created_at':
      return query.orderBy('id', direction);
    case 'duration':
      return query
        .orderBy(sql`(completed_at - started_at) IS NULL`)
        .orderBy(sql`completed_at - started_at`, direction)
        .orderBy('id', 'desc');
    case 'name':
      return query.orderBy(sql`lower(name COLLATE "C")`, direction).orderBy('id', 'desc');
    case 'user':
      return query
        .orderBy(sql`"user" IS NULL`)
        .orderBy(sql`"user" COLLATE "C"`, direction)
        .orderBy('id', 'desc');
    case 'status':
      return query.orderBy('status', direction).orderBy('id', 'desc');
  }
}
