// Composition for `stepflow keys`: opens the store directly (SQLite under the storage directory, or PostgreSQL) and wraps it in the auth and audit services.
import type { Config } from './config/config.js';
import type { ApiKeyRecord } from './core/api-key.js';
import { systemClock } from './core/clock.js';
import type { Role } from './core/role.js';
import { createAuditService } from './service/auth/audit-service.js';
import { createAuthService } from './service/auth/auth-service.js';
import { openPostgresStore } from './store/postgres/open-postgres-store.js';
import { openSqliteStore } from './store/sqlite/open-sqlite-store.js';

/** Key management against one storage directory; call close() when done. */
export interface KeyManager {
  /** Creates a key and answers its secret, which is shown once and never stored. */
  create(name: string, role: Role): Promise<{ key: string; record: ApiKeyRecord }>;
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes by id or name; throws AppError key_not_found when nothing matched. */
  revoke(idOrName: string): Promise<ApiKeyRecord>;
  close(): Promise<void>;
}

// Local key management proves itself by file access to the storage directory, so its audit actor is "cli".
const ACTOR = 'cli';

/** Opens (creating and migrating as needed) the store under config.storagePath for key management; safe while a server runs on it (WAL). */
export async function openKeyManager(
  config: Pick<Config, 'storagePath' | 'cacheSizeKib' | 'walAutocheckpoint'> & { databaseUrl?: string | null },
): Promise<KeyManager> {
  // With STEPFLOW_DATABASE_URL the keys live in PostgreSQL, where every server reads them.
  const store =
    config.databaseUrl !== undefined && config.databaseUrl !== null
      ? await openPostgresStore({ url: config.databaseUrl, poolSize: 1 })
      : await openSqliteStore({
          storagePath: config.storagePath,
          cacheSizeKib: config.cacheSizeKib,
          walAutocheckpoint: config.walAutocheckpoint,
        });
  const auth = createAuthService({ store, clock: systemClock, envApiKey: null, sessionMs: 0 });
  const audit = createAuditService(store, systemClock, { error: () => undefined });
  return {
    async create(name, role) {
      const created = await auth.createKey(name, role);
      await audit.record(ACTOR, 'key_create', null, { key_id: created.record.id, name, role });
      return created;
    },
    list: () => auth.listKeys(),
    async revoke(idOrName) {
      const revoked = await auth.revokeKey(idOrName);
      await audit.record(ACTOR, 'key_revoke', null, { key_id: revoked.id, name: revoked.name });
      return revoked;
    },
    close: () => store.close(),
  };
}
