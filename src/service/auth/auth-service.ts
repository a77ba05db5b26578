// Owns authentication: API keys (env and stored), dashboard sessions, and key management.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../core/app-error.js';
import type { ApiKeyRecord } from '../../core/api-key.js';
import type { Clock } from '../../core/clock.js';
import type { Role } from '../../core/role.js';
import type { Store } from '../../store/store.js';
import type { Credentials } from './read-credentials.js';

/** Who is calling: the key's name and role, and how it proved it. */
export interface Principal {
  name: string;
  role: Role;
  via: 'key' | 'session' | 'anonymous';
}

/** What the auth service is built from. */
export interface AuthServiceDeps {
  store: Store;
  clock: Clock;
  /** STEPFLOW_API_KEY: an admin key that is never stored. */
  envApiKey: string | null;
  sessionMs: number;
}

/** The name the STEPFLOW_API_KEY key appears under (audit trail, GET /api/session). */
export const ENV_KEY_NAME = 'STEPFLOW_API_KEY';

/** Hex SHA-256: keys and tokens are 256-bit random, so a fast hash is enough (nothing to brute-force). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The authentication use cases the HTTP layer, the WebSocket hub and `stepflow keys` call. */
export type AuthService = ReturnType<typeof createAuthService>;

/** Creates the auth service. */
export function createAuthService(deps: AuthServiceDeps) {
  const { store, clock } = deps;
  const envHash = deps.envApiKey === null ? null : Buffer.from(hashSecret(deps.envApiKey), 'hex');

  // Stored keys are found by the hash as an index key: the lookup's timing reveals only hash prefixes, which are useless to a guesser.
  async function identify(keyHash: string): Promise<{ name: string; role: Role } | null> {
    const candidate = Buffer.from(keyHash, 'hex');
    if (envHash && candidate.length === envHash.length && timingSafeEqual(candidate, envHash))
      return { name: ENV_KEY_NAME, role: 'admin' };
    const stored = await store.findApiKey(keyHash);
    return stored ? { name: stored.name, role: stored.role } : null;
  }

  return {
    /** The principal behind the credentials (a key wins over a cookie), or null when they prove nothing. */
    async authenticate(credentials: Credentials): Promise<Principal | null> {
      if (credentials.key !== undefined) return this.authenticateKey(credentials.key);
      if (credentials.sessionToken !== undefined) return this.authenticateSession(credentials.sessionToken);
      return null;
    },

    /** The principal of a presented API key, or null when it is unknown or revoked. */
    async authenticateKey(key: string): Promise<Principal | null> {
      const found = await identify(hashSecret(key));
      return found ? { ...found, via: 'key' } : null;
    },

    /** The principal of a session cookie, or null when it is unknown, expired, or its key was revoked. */
    async authenticateSession(token: string): Promise<Principal | null> {
      const session = await store.findSession(hashSecret(token), clock.now());
      if (!session) return null;
      const found = await identify(session.key_hash);
      return found ? { ...found, via: 'session' } : null;
    },

    /** Starts a session for a valid key; answers the cookie token (shown only to that client) and its expiry. */
    async startSession(key: string): Promise<{ token: string; principal: Principal; expiresAt: number }> {
      const keyHash = hashSecret(key);
      const found = await identify(keyHash);
      if (!found) throw new AppError('unauthorized', 'unknown or revoked API key', 'key');
      // An agent key runs executions it claims; it reads nothing, so it has no dashboard to sign in to.
      if (found.role === 'agent')
        throw new AppError('forbidden', 'an agent key cannot sign in to the dashboard', 'key');
      const token = newSecret('');
      const now = clock.now();
      const expiresAt = now + deps.sessionMs;
      await store.deleteExpiredSessions(now);
      await store.createSession({
        token_hash: hashSecret(token),
        key_hash: keyHash,
        created_at: now,
        expires_at: expiresAt,
      });
      return { token, principal: { ...found, via: 'session' }, expiresAt };
    },

    async endSession(token: string): Promise<void> {
      await store.deleteSession(hashSecret(token));
    },

    /** Creates a stored key; the returned secret is never retrievable again. */
    async createKey(name: string, role: Role): Promise<{ key: string; record: ApiKeyRecord }> {
      if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(name))
        throw new AppError('validation_failed', 'a key name is 1-64 letters, digits, _ . @ or -', 'name');
      if (name === ENV_KEY_NAME)
        throw new AppError('validation_failed', `${ENV_KEY_NAME} is reserved for the key from the environment`, 'name');
      if ((await store.listApiKeys()).some((k) => k.name === name && k.revoked_at === null)) {
        throw new AppError(
          'validation_failed',
          `a key named "${name}" already exists; revoke it first or pick another name`,
          'name',
        );
      }
      const key = newSecret('sf_');
      return {
        key,
        record: await store.createApiKey({ name, role, key_hash: hashSecret(key), created_at: clock.now() }),
      };
    },

    listKeys: (): Promise<ApiKeyRecord[]> => store.listApiKeys(),

    /** Revokes by id (all digits) or name; its sessions end with it. */
    async revokeKey(idOrName: string): Promise<ApiKeyRecord> {
      const target = /^\d+$/.test(idOrName) ? Number(idOrName) : idOrName;
      const revoked = await store.revokeApiKey(target, clock.now());
      if (!revoked) throw new AppError('key_not_found', `no active key ${JSON.stringify(idOrName)}`, 'key');
      return revoked;
    },

    /** True when at least one key can sign in (the env key or an active stored key). */
    async hasAnyKey(): Promise<boolean> {
      return envHash !== null || (await store.listApiKeys()).some((k) => k.revoked_at === null);
    },
  };
}
