// Owns API key and session rows in PostgreSQL: create, find by hash, revoke, expire.
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, NewApiKey, SessionRecord } from '../../core/api-key.js';
import type { Role } from '../../core/role.js';
import type { ApiKeysRow } from '../table-rows.js';
import type { PgTables } from './postgres-tables.js';

function toApiKeyRecord(row: Selectable<ApiKeysRow>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    key_hash: row.key_hash,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

/** API key and session persistence over a PostgreSQL pool. */
export class PostgresAuth {
  readonly #db: Kysely<PgTables>;

  constructor(db: Kysely<PgTables>) {
    this.#db = db;
  }

  /** Stores a key; a second active key with the same name violates a unique index. */
  async createKey(input: NewApiKey): Promise<ApiKeyRecord> {
    const row = await this.#db
      .insertInto('api_keys')
      .values({ ...input, revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toApiKeyRecord(row);
  }

  /** Every key, oldest first. */
  async listKeys(): Promise<ApiKeyRecord[]> {
    return (await this.#db.selectFrom('api_keys').selectAll().orderBy('id', 'asc').execute()).map(toApiKeyRecord);
  }

  /** The active key with this hash, or null. */
  async findKey(keyHash: string): Promise<ApiKeyRecord | null> {
    const row = await this.#db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? null : toApiKeyRecord(row);
  }

  /** Revokes the active key matching id or name and deletes its sessions, in one transaction. */
  async revokeKey(idOrName: number | string, revokedAt: number): Promise<ApiKeyRecord | null> {
    return this.#db.transaction().execute(async (trx) => {
      const base = trx.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null).forUpdate();
      const row = await (
        typeof idOrName === 'number' ? base.where('id', '=', idOrName) : base.where('name', '=', idOrName)
      ).executeTakeFirst();
      if (row === undefined) return null;
      await trx.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', row.id).execute();
      await trx.deleteFrom('sessions').where('key_hash', '=', row.key_hash).execute();
      return toApiKeyRecord({ ...row, revoked_at: revokedAt });
    });
  }

  /** Stores a dashboard session. */
  async createSession(session: SessionRecord): Promise<void> {
    await this.#db.insertInto('sessions').values(session).execute();
  }

  /** The session unless it has expired by `now`. */
  async findSession(tokenHash: string, now: number): Promise<SessionRecord | null> {
    return (
      (await this.#db
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst()) ?? null
    );
  }

  /** Ends one session. */
  async deleteSession(tokenHash: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  /** Deletes expired sessions; returns how many. */
  async deleteExpiredSessions(now: number): Promise<number> {
    const result = await this.#db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
