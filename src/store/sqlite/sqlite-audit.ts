// Owns audit_log rows in SQLite: append and list with filters, newest first.
import type { AuditAction, AuditEntry, NewAuditEntry } from '../../core/audit-entry.js';
import type { AuditFilter } from '../store.js';
import type { AuditLogRow } from '../table-rows.js';
import type { SqliteConnection } from './sqlite-connection.js';

type AuditRow = { [K in keyof AuditLogRow]: K extends 'id' ? number : AuditLogRow[K] };

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    execution_id: row.execution_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

/** Audit trail persistence over one SQLite connection. */
export class SqliteAudit {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Appends one entry and returns it with its id. */
  append(entry: NewAuditEntry): AuditEntry {
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .insertInto('audit_log')
        .values({ ...entry, detail: JSON.stringify(entry.detail) })
        .returningAll(),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no audit_log row');
    return toAuditEntry(row);
  }

  /** One page of matching entries, newest first, with the count of all matches. */
  list(filter: AuditFilter): { entries: AuditEntry[]; total_count: number } {
    let matching = this.#sqlite.builder.selectFrom('audit_log');
    if (filter.actor !== undefined) matching = matching.where('actor', '=', filter.actor);
    if (filter.action !== undefined) matching = matching.where('action', '=', filter.action);
    if (filter.execution_id !== undefined) matching = matching.where('execution_id', '=', filter.execution_id);
    const rows = this.#sqlite.all(matching.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset));
    const counted = this.#sqlite.first(matching.select((eb) => eb.fn.countAll<number>().as('n')));
    return { entries: rows.map(toAuditEntry), total_count: counted?.n ?? 0 };
  }
}
