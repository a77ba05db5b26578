// Owns the PostgreSQL ORDER BY of the execution list: the sort keys, ordered as SQLite orders them.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { ExecutionFilter } from '../store.js';
import type { PgTables } from './postgres-tables.js';

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
