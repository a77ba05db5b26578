// Owns the SQL conditions for the execution list filters (status, user, text, tag, date range), for both stores.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ExecutionFilter } from './store.js';
import type { StoreTables } from './table-rows.js';

/** The tables the list filters read, whatever a store's flag type. */
type ListTables = Pick<StoreTables<unknown>, 'executions' | 'execution_tags'>;

/** A LIKE pattern matching `text` literally anywhere, with `\` as the escape character. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** True when the filter restricts rows at all (limit/offset aside). */
export function hasExecutionFilter(filter: ExecutionFilter): boolean {
  return (
    filter.status !== undefined ||
    filter.user !== undefined ||
    (filter.q !== undefined && filter.q !== '') ||
    filter.tag !== undefined ||
    filter.created_after !== undefined ||
    filter.created_before !== undefined
  );
}

/** The WHERE condition selecting the executions a filter asks for (ignores limit/offset). */
export function matchExecutions(
  eb: ExpressionBuilder<ListTables, 'executions'>,
  filter: ExecutionFilter,
  like: 'LIKE' | 'ILIKE',
): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (filter.status !== undefined) terms.push(eb('status', '=', filter.status));
  if (filter.user !== undefined) terms.push(eb('user', '=', filter.user));
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    // SQLite's LIKE is case-insensitive (for ASCII letters) already; PostgreSQL's ILIKE is the same.
    terms.push(
      eb.or([
        sql<SqlBool>`${eb.ref('name')} ${sql.raw(like)} ${pattern} ESCAPE '\\'`,
        sql<SqlBool>`${eb.ref('command_text')} ${sql.raw(like)} ${pattern} ESCAPE '\\'`,
      ]),
    );
  }
  if (filter.tag !== undefined) {
    terms.push(eb('id', 'in', eb.selectFrom('execution_tags').select('execution_id').where('tag', '=', filter.tag)));
  }
  if (filter.created_after !== undefined) terms.push(eb('created_at', '>=', filter.created_after));
  if (filter.created_before !== undefined) terms.push(eb('created_at', '<', filter.created_before));
  return eb.and(terms);
}
