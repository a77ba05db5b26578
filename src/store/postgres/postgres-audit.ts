// Owns audit_log rows in PostgreSQL: append and list with filters, newest first.
import type { Kysely, Selectable } from 'kysely';
import type { AuditAction, AuditEntry, NewAuditEntry } from '../../core/audit-entry.js';
import type { AuditFilter } from '../store.js';
import type { AuditLogRow } from '../table-rows.js';
import type { PgTables } from './postgres-tables.js';

function toAuditEntry(row: Selectable<AuditLogRow>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    execution_id: row.execution_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

/** Audit trail persistence over a PostgreSQL pool. */
export class PostgresAudit {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Appends one entry and returns it with its id. */
  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.#db
      .insertInto('audit_log')
      .values({ ...entry, detail: JSON.stringify(entry.detail) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAuditEntry(row);
  }

  /** One page of matching entries, newest first, with the count of all matches. */
  async list(filter: AuditFilter): Promise<{ entries: AuditEntry[]; total_count: number }> {
    let matching = this.#db.selectFrom('audit_log');
    if (filter.actor !== undefined) matching = matching.where('actor', '=', filter.actor);
    if (filter.action !== undefined) matching = matching.where('action', '=', filter.action);
    if (filter.execution_id !== undefined) matching = matching.where('execution_id', '=', filter.execution_id);
    const [rows, counted] = await Promise.all([
      matching.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      matching.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { entries: rows.map(toAuditEntry), total_count: counted?.n ?? 0 };
  }
}
