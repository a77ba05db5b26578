// Owns API key and session rows in SQLite: create, find by hash, revoke, expire.
import type { ApiKeyRecord, NewApiKey, SessionRecord } from '../../core/api-key.js';
import type { Role } from '../../core/role.js';
import type { ApiKeysRow } from '../table-rows.js';
import type { SqliteConnection } from './sqlite-connection.js';

type ApiKeyRow = { [K in keyof ApiKeysRow]: K extends 'id' ? number : ApiKeysRow[K] };

function toApiKeyRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    key_hash: row.key_hash,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

/** API key and session persistence over one SQLite connection. */
export class SqliteAuth {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Stores a key; a second active key with the same name violates a unique index. */
  createKey(input: NewApiKey): ApiKeyRecord {
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .insertInto('api_keys')
        .values({ ...input, revoked_at: null })
        .returningAll(),
    );
    if (row === null) throw new Error('INSERT … RETURNING gave no api_keys row');
    return toApiKeyRecord(row);
  }

  /** Every key, oldest first. */
  listKeys(): ApiKeyRecord[] {
    return this.#sqlite
      .all(this.#sqlite.builder.selectFrom('api_keys').selectAll().orderBy('id', 'asc'))
      .map(toApiKeyRecord);
  }

  /** The active key with this hash, or null. */
  findKey(keyHash: string): ApiKeyRecord | null {
    const row = this.#sqlite.first(
      this.#sqlite.builder
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null),
    );
    return row === null ? null : toApiKeyRecord(row);
  }

  /** Revokes the active key matching id or name and deletes its sessions, in one transaction. */
  revokeKey(idOrName: number | string, revokedAt: number): ApiKeyRecord | null {
    return this.#sqlite.transaction(() => {
      const base = this.#sqlite.builder.selectFrom('api_keys').selectAll().where('revoked_at', 'is', null);
      const row = this.#sqlite.first(
        typeof idOrName === 'number' ? base.where('id', '=', idOrName) : base.where('name', '=', idOrName),
      );
      if (row === null) return null;
      this.#sqlite.run(
        this.#sqlite.builder.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', row.id),
      );
      this.#sqlite.run(this.#sqlite.builder.deleteFrom('sessions').where('key_hash', '=', row.key_hash));
      return toApiKeyRecord({ ...row, revoked_at: revokedAt });
    });
  }

  createSession(session: SessionRecord): void {
    this.#sqlite.run(this.#sqlite.builder.insertInto('sessions').values(session));
  }

  /** The session unless it has expired by `now`. */
  findSession(tokenHash: string, now: number): SessionRecord | null {
    return this.#sqlite.first(
      this.#sqlite.builder
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now),
    );
  }

  deleteSession(tokenHash: string): void {
    this.#sqlite.run(this.#sqlite.builder.deleteFrom('sessions').where('token_hash', '=', tokenHash));
  }

  /** Deletes expired sessions; returns how many. */
  deleteExpiredSessions(now: number): number {
    return this.#sqlite.run(this.#sqlite.builder.deleteFrom('sessions').where('expires_at', '<=', now));
  }
}
