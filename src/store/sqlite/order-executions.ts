// Owns the ORDER BY of the execution list: the requested column and direction, ties broken newest first.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { ExecutionFilter } from '../store.js';
import type { SqliteTables } from './sqlite-tables.js';

type ExecutionSelect<O> = SelectQueryBuilder<SqliteTables, 'executions', O>;

/**
 * Orders a selection of executions. `created_at` sorts by id, which grows with creation time and
 * keeps the unfiltered newest-first page on the primary key; unfinished runs sort last by duration.
 */
export function orderExecutions<O>(query: ExecutionSelect<O>, filter: ExecutionFilter): ExecutionSelect<O> {
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
      return query.orderBy(sql`name COLLATE NOCASE`, direction).orderBy('id', 'desc');
    case 'user':
      return query
        .orderBy(sql`user IS NULL`)
        .orderBy('user', direction)
        .orderBy('id', 'desc');
    case 'status':
      return query.orderBy('status', direction).orderBy('id', 'desc');
  }
}
